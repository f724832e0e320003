// Live servers for end-to-end tests: Sightline itself (real HTTP on an ephemeral loopback port, embedded
// defaults, a temporary data directory) and a loopback server that serves image bytes by path.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface ContentServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `routes[path]` with its content type; unknown paths get 404. */
export async function startContentServer(
  routes: Record<string, { body: Buffer; type: string }>,
  host = '127.0.0.1',
): Promise<ContentServer> {
  const server = createServer((request, response) => {
    const route = routes[request.url ?? ''];
    if (!route) {
      response.writeHead(404).end('not found');
      return;
    }
    response
      .writeHead(200, { 'content-type': route.type, 'content-length': route.body.length })
      .end(route.body);
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A loopback port with nothing listening on it (a server listened there and closed again). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}
