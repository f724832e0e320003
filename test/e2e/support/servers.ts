// Sightline itself for end-to-end tests, in this process: real HTTP on an ephemeral loopback port, embedded
// defaults, a temporary data directory. (Loopback servers around it are in test/support/upstreams.ts.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/index.js';
import { type RunningServer, startServer } from '../../../src/server/main.js';

export interface TestSightline extends RunningServer {
  dataDir: string;
  stop(): Promise<void>;
}

export async function startSightline(
  yaml = '',
  overrides: Parameters<typeof parseConfig>[2] = {},
): Promise<TestSightline> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-e2e-'));
  const config = parseConfig(yaml, {}, { host: '127.0.0.1', port: 0, dataDir, ...overrides });
  const server = await startServer(config, { logger: false, env: process.env });
  return {
    ...server,
    dataDir,
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
