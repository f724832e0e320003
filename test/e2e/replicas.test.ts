// Two server processes as two machines would run them: different data directories, one PostgreSQL
// (files metadata and usage), one S3 endpoint (blobs; s3rver), one Redis (rate limits). An upload through
// A is an image source through B, a limit counted on A refuses on B, and either reports the usage of both.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic, { RateLimitError, toFile } from '@anthropic-ai/sdk';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/ops/keys.js';
import { type ServerProcess, spawnServer, waitForExit } from '../support/process.js';
import { REDIS_URL, requireRedis } from '../support/redis.js';
import { type LocalS3, startLocalS3 } from '../support/s3rver.js';

const postgresUrl =
  process.env.SIGHTLINE_TEST_POSTGRES_URL ?? 'postgres://sightline:sightline@127.0.0.1:5432/sightline_test';
const redisUrl = REDIS_URL;
const schema = `sightline_replicas_${process.pid}_${randomBytes(4).toString('hex')}`;
const apiKey = `sk-replicas-${randomBytes(8).toString('hex')}`;
const limitedKey = `sk-replicas-limited-${randomBytes(8).toString('hex')}`; // fresh: its buckets are new
const model = 'claude-sonnet-4-6';

let s3: LocalS3;
const directories: string[] = [];
let a: ServerProcess;
let b: ServerProcess;

async function postgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await requireRedis();
  s3 = await startLocalS3('sightline-replicas');
  await postgres(`CREATE SCHEMA ${schema}`);
  const shared = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const config = `
api_keys: [{ key: ${apiKey}, workspace: team }, { key: ${limitedKey}, workspace: team }]
admin_keys: [{ key: sk-admin-replicas, name: ops }]
limits:
  keys:
    ${keyIdOf(limitedKey)}: { requests_per_minute: 3 }
redis: { url: "${redisUrl}", view_cache: true }
metrics: { enabled: true }
files:
  postgres_url: "${shared}"
  s3:
    endpoint: "${s3.endpoint}"
    bucket: sightline-replicas
    region: us-east-1
    force_path_style: true
    access_key_id_env: TEST_S3_ACCESS_KEY
    secret_access_key_env: TEST_S3_SECRET_KEY
`;
  const start = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sightline-replica-'));
    directories.push(dataDir);
    const path = join(dataDir, 'sightline.yaml');
    await writeFile(path, config);
    return spawnServer(['--data-dir', dataDir, '--config', path], {
      TEST_S3_ACCESS_KEY: 'S3RVER',
      TEST_S3_SECRET_KEY: 'S3RVER',
    });
  };
  [a, b] = await Promise.all([start(), start()]);
}, 60_000);

afterAll(async () => {
  for (const server of [a, b]) {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
    }
  }
  await s3?.stop();
  await postgres(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('two replicas sharing PostgreSQL, S3 and Redis', () => {
  const inputTokens: number[] = [];

  it('an upload through A is an image source through B, whose view A rendered', {
    timeout: 120_000,
  }, async () => {
    const viaA = new Anthropic({ baseURL: a.url, apiKey, maxRetries: 0 });
    const viaB = new Anthropic({ baseURL: b.url, apiKey, maxRetries: 0 });
    const uploaded = await viaA.beta.files.upload({
      // random pixels: a view no earlier run can have left in the shared cache
      file: await toFile(
        await sharp(randomBytes(400 * 300 * 3), { raw: { width: 400, height: 300, channels: 3 } })
          .png()
          .toBuffer(),
        'noise.png',
        { type: 'image/png' },
      ),
    });
    const ask = (client: Anthropic) =>
      client.beta.messages.create({
        model,
        max_tokens: 100,
        betas: ['files-api-2025-04-14'],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'file', file_id: uploaded.id } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      });
    const sharedViews = async (server: ServerProcess, result: string) => {
      const text = await (
        await fetch(`${server.url}/metrics`, { headers: { 'x-api-key': 'sk-admin-replicas' } })
      ).text();
      return Number(
        new RegExp(`sightline_shared_view_cache_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
      );
    };
    const onA = await ask(viaA); // A renders the view and shares it
    await new Promise((resolve) => setTimeout(resolve, 300)); // stored in the background
    const message = await ask(viaB);
    expect(message.type).toBe('message');
    expect(message.usage.input_tokens).toBeGreaterThan(100); // the image was seen
    expect(message.usage.input_tokens).toBe(onA.usage.input_tokens);
    inputTokens.push(onA.usage.input_tokens, message.usage.input_tokens);
    expect(await sharedViews(a, 'miss')).toBe(1);
    expect(await sharedViews(b, 'hit')).toBe(1); // B did not render it again
  });

  it('a limit counted on A refuses on B', async () => {
    const viaB = new Anthropic({ baseURL: b.url, apiKey: limitedKey, maxRetries: 0 });
    // 3 a minute (one more every 20 s): used up on A
    for (let index = 0; index < 3; index += 1) {
      const response = await fetch(`${a.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'x-api-key': limitedKey, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: `Hello ${index}` }] }),
      });
      expect(response.status).toBe(200);
    }
    const refused = await viaB.messages
      .countTokens({ model, messages: [{ role: 'user', content: 'One more' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(Number((refused as RateLimitError).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('the usage report from either replica shows both', async () => {
    const day = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
    const expected = inputTokens.reduce((sum, tokens) => sum + tokens, 0);
    for (const server of [a, b]) {
      // the other replica writes its records within a second
      let total = 0;
      for (let attempt = 0; attempt < 50 && total !== expected; attempt += 1) {
        const response = await fetch(
          `${server.url}/v1/organizations/usage_report/messages?starting_at=${day}&group_by[]=api_key_id`,
          { headers: { 'x-api-key': 'sk-admin-replicas' } },
        );
        const report = await response.json();
        const mine = report.data[0].results.find(
          (result: { api_key_id: string }) => result.api_key_id === keyIdOf(apiKey),
        );
        total = mine?.uncached_input_tokens ?? 0;
        if (total !== expected) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(total).toBe(expected);
    }
  });
});
