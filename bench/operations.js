// Operations benchmarks: what usage recording (and the rest of the per-request operations hooks) adds
// to a request, Files blob upload throughput to S3 (s3rver over loopback) against the disk store, and a
// view-cache hit through Redis against a re-render. A measurement, not a test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createRouter } from '../dist/src/backends/registry.js';
import { DEFAULT_OPERATIONS_CONFIG } from '../dist/src/config/operations-config.js';
import { createDiskBlobStore, createSqliteMetadataStore } from '../dist/src/files/index.js';
import { createS3BlobStore } from '../dist/src/files/s3-blob-store.js';
import { createImagePipeline } from '../dist/src/imaging/index.js';
import { createOperations } from '../dist/src/ops/operations.js';
import { createApp } from '../dist/src/server/app.js';
import { createAuthenticator } from '../dist/src/server/auth.js';
import { startLocalS3 } from '../dist/test/support/s3rver.js';
import { median } from './timing.js';

const REQUESTS = 3000;
const UPLOAD_MIB = 64;
const UPLOAD_ROUNDS = 3;

/** One in-process app, with or without the operations hooks (usage recorded to SQLite, metrics). */
async function makeApp(directory, withOperations) {
  const router = createRouter({ backends: {}, models: [] });
  const store = createSqliteMetadataStore(join(directory, `bench-${withOperations}.db`));
  const operations = withOperations
    ? await createOperations({
        config: DEFAULT_OPERATIONS_CONFIG,
        store,
        isApiKey: () => true,
        priceOf: (model) => router.route(model)?.model,
      })
    : undefined;
  const app = createApp({
    router,
    pipeline: createImagePipeline(),
    resolvers: { fetchUrl: async () => Buffer.alloc(0), findFile: async () => undefined },
    authenticate: createAuthenticator([]),
    ...(operations ? { operations } : {}),
  });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await operations?.close();
      await store.close();
      await router.close();
    },
  };
}

/** Per-request time with and without the hooks, interleaved in small batches; the p50s' difference. */
export async function runRecordingBench() {
  const directory = mkdtempSync(join(tmpdir(), 'sightline-ops-bench-'));
  const plain = await makeApp(directory, false);
  const recorded = await makeApp(directory, true);
  const payload = JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'How many words is this?' }],
  });
  const request = (app) =>
    app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { 'x-api-key': 'bench-key', 'content-type': 'application/json' },
      payload,
    });
  const times = { plain: [], recorded: [] };
  try {
    for (let warm = 0; warm < 200; warm += 1) {
      await request(plain.app);
      await request(recorded.app);
    }
    for (let done = 0; done < REQUESTS; done += 20) {
      for (const [name, { app }] of done % 40 === 0
        ? [
            ['plain', plain],
            ['recorded', recorded],
          ]
        : [
            ['recorded', recorded],
            ['plain', plain],
          ]) {
        for (let index = 0; index < 20; index += 1) {
          const started = performance.now();
          const response = await request(app);
          times[name].push(performance.now() - started);
          if (response.statusCode !== 200) throw new Error(response.body);
        }
      }
    }
  } finally {
    await plain.close();
    await recorded.close();
    rmSync(directory, { recursive: true, force: true });
  }
  const p50 = { plain: median(times.plain), recorded: median(times.recorded) };
  return {
    requests: REQUESTS,
    p50_plain_ms: p50.plain,
    p50_recorded_ms: p50.recorded,
    overhead_p50_ms: p50.recorded - p50.plain,
  };
}

const incompressible = (mib) => {
  const piece = randomBytes(1024 * 1024);
  return () => Readable.from(Array.from({ length: mib }, () => piece));
};

/** Blob upload throughput: the same bytes streamed into the disk store and into S3 (s3rver, loopback). */
export async function runUploadBench() {
  const directory = mkdtempSync(join(tmpdir(), 'sightline-upload-bench-'));
  const s3 = await startLocalS3('bench');
  const stores = {
    disk: createDiskBlobStore(join(directory, 'blobs')),
    s3: createS3BlobStore({ bucket: s3.bucket, prefix: 'bench/', client: s3.client }),
  };
  const source = incompressible(UPLOAD_MIB);
  const rates = { disk: [], s3: [] };
  try {
    for (let round = 0; round < UPLOAD_ROUNDS; round += 1) {
      for (const name of round % 2 === 0 ? ['disk', 's3'] : ['s3', 'disk']) {
        const started = performance.now();
        const blob = await stores[name].write(source(), UPLOAD_MIB * 1024 * 1024 + 1);
        await stores[name].settle(blob);
        rates[name].push(UPLOAD_MIB / ((performance.now() - started) / 1000));
      }
    }
  } finally {
    await stores.s3.close();
    await s3.stop();
    rmSync(directory, { recursive: true, force: true });
  }
  return { size_mib: UPLOAD_MIB, disk_mib_s: median(rates.disk), s3_mib_s: median(rates.s3) };
}

/** A view-cache hit through Redis (another replica rendered it) against rendering it again. */
export async function runViewCacheBench() {
  const { createRedisViewStore } = await import('../dist/src/ops/redis-view-store.js');
  const { createCatalog, maxImagesFor } = await import('../dist/src/index.js');
  const redisUrl = process.env.SIGHTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const model = createCatalog().find('claude-sonnet-4-6');
  const target = { id: model.id, profile: model.profile, maxImages: maxImagesFor(model) };
  // a 2400×1600 photo-like JPEG (noise): rendered to 1536×1024
  const bytes = await sharp(randomBytes(2400 * 1600 * 3), { raw: { width: 2400, height: 1600, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
  const source = { path: 'messages.0.content.0', source: { kind: 'file', bytes } };
  const shared = createRedisViewStore(redisUrl, {
    prefix: `bench:view:${randomBytes(4).toString('hex')}:`,
    timeoutMs: 2000,
  });
  const viaRedis = createImagePipeline({ sharedViews: shared });
  const local = createImagePipeline();
  const [image] = viaRedis.validate([source], target);
  try {
    await viaRedis.render(image); // rendered once, stored in Redis
    for (let wait = 0; wait < 100 && shared.stats.stored === 0; wait += 1)
      await new Promise((r) => setTimeout(r, 20));
    const times = { redis: [], render: [] };
    for (let round = 0; round < 15; round += 1) {
      viaRedis.clearCache(); // this replica's memory is empty: the view comes from Redis
      let started = performance.now();
      await viaRedis.render(image);
      times.redis.push(performance.now() - started);
      local.clearCache();
      started = performance.now();
      await local.render(image);
      times.render.push(performance.now() - started);
    }
    return { redis_hit_ms: median(times.redis), render_ms: median(times.render), hits: shared.stats.hits };
  } finally {
    await shared.close();
  }
}

export function printOperationsBench(results) {
  const { recording, upload } = results;
  console.log('\nOperations');
  console.log(
    `  usage recording + metrics per request: p50 ${recording.p50_recorded_ms.toFixed(3)} ms with, ${recording.p50_plain_ms.toFixed(3)} ms without: overhead ${(recording.overhead_p50_ms * 1000).toFixed(0)} µs (goal < 200 µs) ${recording.overhead_p50_ms < 0.2 ? 'ok' : 'MISSED'}`,
  );
  console.log(
    `  blob upload (${upload.size_mib} MiB): disk ${upload.disk_mib_s.toFixed(0)} MiB/s, S3 (s3rver on loopback) ${upload.s3_mib_s.toFixed(0)} MiB/s`,
  );
  if (results.viewCache) {
    const { viewCache } = results;
    console.log(
      `  view cache: hit through Redis ${viewCache.redis_hit_ms.toFixed(2)} ms vs re-render ${viewCache.render_ms.toFixed(2)} ms (${(viewCache.render_ms / viewCache.redis_hit_ms).toFixed(1)}× faster)`,
    );
  }
}

export async function runOperationsBench() {
  const results = { recording: await runRecordingBench(), upload: await runUploadBench() };
  try {
    results.viewCache = await runViewCacheBench();
  } catch (error) {
    console.log(`  (view cache through Redis not measured: ${error.message}; run scripts/ensure-redis.sh)`);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runOperationsBench();
  printOperationsBench(results);
  console.log(JSON.stringify(results));
}
