// Two server processes sharing one PostgreSQL (and one blob directory) see each other's uploads and
// deletions: the Files API is ready for several replicas.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic, { NotFoundError, toFile } from '@anthropic-ai/sdk';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/images.js';
import { type ServerProcess, spawnServer, waitForExit } from '../support/process.js';

const baseUrl =
  process.env.SIGHTLINE_TEST_POSTGRES_URL ?? 'postgres://sightline:sightline@127.0.0.1:5432/sightline_test';
const schema = `sightline_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
let dataDir: string;
let servers: ServerProcess[] = [];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect().catch((error: Error) => {
    throw new Error(
      `PostgreSQL is not reachable at ${baseUrl.replace(/:[^:@]*@/, ':***@')}: run 'bash scripts/ensure-postgres.sh' (${error.message})`,
    );
  });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin((client) => client.query(`CREATE SCHEMA ${schema}`));
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-replicas-'));
  const url = `${baseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  // both processes start at once against an empty database: schema creation must not race
  servers = await Promise.all([
    spawnServer(['--data-dir', dataDir], { SIGHTLINE_POSTGRES_URL: url }),
    spawnServer(['--data-dir', dataDir], { SIGHTLINE_POSTGRES_URL: url }),
  ]);
}, 60_000);

afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await waitForExit(server.child);
  }
  await admin((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('two server processes sharing one PostgreSQL', () => {
  it("see each other's uploads and deletions, and use each other's images in messages", async () => {
    const [first, second] = servers.map(
      (server) => new Anthropic({ baseURL: server.url, apiKey: 'sk-shared', maxRetries: 0 }),
    );
    const uploaded = await first!.beta.files.upload({
      file: await toFile(fixture('libvips/sample.png'), 'shared.png'),
    });
    expect(await second!.beta.files.retrieveMetadata(uploaded.id)).toEqual(uploaded);
    expect((await second!.beta.files.list()).data.map((file) => file.id)).toContain(uploaded.id);
    const message = await second!.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 200,
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: uploaded.id } }] },
      ],
    });
    expect(JSON.stringify(message.content)).toContain('original 290×442');
    await second!.beta.files.delete(uploaded.id);
    await expect(first!.beta.files.retrieveMetadata(uploaded.id)).rejects.toBeInstanceOf(NotFoundError);
    // isolation holds across processes
    const other = new Anthropic({ baseURL: servers[1]!.url, apiKey: 'sk-someone-else', maxRetries: 0 });
    const theirs = await first!.beta.files.upload({ file: await toFile(Buffer.from('private'), 'p.txt') });
    await expect(other.beta.files.retrieveMetadata(theirs.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
