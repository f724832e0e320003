// Starts Sightline from a configuration: builds the parts, binds the port, and shuts down gracefully
// (in-flight requests and streams finish, within a deadline) on close. The only server file that binds a
// port or opens the stores.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createRouter } from '../backends/registry.js';
import type { SightlineConfig } from '../config/index.js';
import {
  createDiskBlobStore,
  createFileService,
  createSqliteMetadataStore,
  type MetadataStore,
} from '../files/index.js';
import { createImagePipeline, maxImageBytesFor } from '../imaging/index.js';
import { createGuardedFetcher } from '../net/index.js';
import { createOperations } from '../ops/operations.js';
import { createRedisViewStore } from '../ops/redis-view-store.js';
import { createApp, LOOPBACK_HOST_NAMES } from './app.js';
import { createAuthenticator } from './auth.js';
import { createId } from './ids.js';
import { createPrettyLogStream } from './log-format.js';
import { registerFilesRoutes } from './routes/files.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Addresses that listen on loopback only (Host check on; no warning when there are no keys). */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);
/** How long graceful shutdown lets in-flight requests and streams finish. */
const SHUTDOWN_DEADLINE_MS = 30_000;

export async function startServer(
  config: SightlineConfig,
  options: {
    env?: Readonly<Record<string, string | undefined>>;
    logger?: boolean;
    warn?: (line: string) => void;
  } = {},
): Promise<RunningServer> {
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  const router = createRouter({
    backends: config.backends,
    models: config.models,
    env: options.env ?? {},
    viewFormat: config.render.format,
  });
  // views rendered by one replica are hits on the others (redis.view_cache)
  const sharedViews =
    config.operations.redisUrl && config.operations.sharedViewCache
      ? createRedisViewStore(config.operations.redisUrl)
      : undefined;
  const pipeline = createImagePipeline({
    ...(sharedViews ? { sharedViews } : {}),
    cacheBytes: config.cacheBytes,
    render: {
      format: config.render.format,
      quality: config.render.quality,
      autoOrient: config.render.autoOrient,
    },
  });
  const fetcher = createGuardedFetcher({
    allowPrivate: config.allowPrivateUrls,
    allowAddresses: config.allowUrlAddresses,
    maxBytes: maxImageBytesFor(config.vision.rules), // the direct API's per-image limit
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    totalTimeoutMs: 20_000,
  });
  const metadata: MetadataStore = config.files.postgresUrl
    ? await (await import('../files/postgres-metadata-store.js')).createPostgresMetadataStore(
        config.files.postgresUrl,
      )
    : createSqliteMetadataStore(join(dataDir, 'sightline.db'));
  // blobs on this machine's disk, or in an S3 bucket shared by every replica
  const s3 = config.operations.s3
    ? (await import('../files/s3-blob-store.js')).s3BlobStoreFromConfig(
        config.operations.s3,
        options.env ?? {},
      )
    : undefined;
  const files = createFileService({
    metadata,
    blobs: s3 ?? createDiskBlobStore(join(dataDir, 'blobs')),
    downloadable: config.files.downloadable,
    maxBytes: config.files.maxBytes,
    createId: () => createId('file'),
  });
  const authenticate = createAuthenticator(config.apiKeys);
  const operations = await createOperations({
    config: config.operations,
    store: metadata,
    isApiKey: (headers) => {
      try {
        authenticate(headers);
        return true;
      } catch {
        return false;
      }
    },
    priceOf: (model) => router.route(model)?.model,
    metricsSources: {
      cacheStats: () => pipeline.cacheStats,
      ocrQueue: () => router.queued(),
      ...(sharedViews ? { sharedViewStats: () => sharedViews.stats } : {}),
    },
    metricsHost: config.host,
  }).catch(async (error: unknown) => {
    await Promise.allSettled([router.close(), fetcher.close(), metadata.close()]);
    throw error;
  });
  const app = createApp({
    operations,
    ...(LOOPBACK_HOSTS.has(config.host) ? { allowedHosts: LOOPBACK_HOST_NAMES } : {}),
    cors: config.cors,
    router,
    pipeline,
    authenticate,
    repair: config.repair,
    computerUse: config.computerUse,
    visionRules: config.vision.rules,
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(config.logFormat === 'pretty' ? { stream: createPrettyLogStream(process.stdout) } : {}),
          },
    limits: config.server,
    resolvers: {
      fetchUrl: async (url, signal) => (await fetcher.fetch(url, signal)).bytes,
      findFile: async (workspace, fileId) => {
        const record = await files.get(workspace, fileId);
        return (
          record && {
            sizeBytes: record.sizeBytes,
            mimeType: record.mimeType,
            read: () => files.readBytes(record),
          }
        );
      },
    },
    extend: (instance, { workspaceOf }) => registerFilesRoutes(instance, files, workspaceOf),
  });
  // expired files purged, unreferenced blobs removed: now and every ten minutes (one run at a time)
  let collecting: Promise<unknown> = Promise.resolve();
  const collect = () => {
    collecting = collecting
      .then(() => files.collect())
      .catch((error: unknown) => app.log.error({ err: error }, 'file clean-up failed'));
  };
  collect();
  const collector = setInterval(collect, 10 * 60 * 1000);
  collector.unref();
  const release = async () => {
    clearInterval(collector);
    await collecting;
    // queued usage records are written before the store closes
    await operations.close().catch((error: unknown) => app.log.error({ err: error }, 'usage flush failed'));
    await Promise.allSettled([
      router.close(),
      fetcher.close(),
      files.close(),
      s3?.close(),
      sharedViews?.close(),
    ]);
  };
  if (!LOOPBACK_HOSTS.has(config.host) && config.apiKeys.length === 0) {
    (options.warn ?? console.warn)(
      `\n!!! WARNING: Sightline is listening on ${config.host} with NO API keys configured: anyone who can reach this\n` +
        '!!! address can use it and its backends. Set api_keys in the config file or SIGHTLINE_API_KEYS.\n',
    );
  }
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await release();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    close() {
      closing ??= (async () => {
        // keep-alive sockets that go idle once their response has finished would hold close() open;
        // streams still running after the deadline are cut
        const idleCloser = setInterval(() => app.server.closeIdleConnections(), 100);
        const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_DEADLINE_MS);
        try {
          await app.close();
        } finally {
          clearInterval(idleCloser);
          clearTimeout(deadline);
          await release();
        }
      })();
      return closing;
    },
  };
}
