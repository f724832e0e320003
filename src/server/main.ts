// Starts Sightline from a configuration: builds the parts, binds the port, and shuts down gracefully
// (in-flight requests and streams finish) on close. The only server file that opens sockets or files.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createRouter } from '../backends/registry.js';
import type { SightlineConfig } from '../config/index.js';
import { notFound } from '../errors/index.js';
import { createImagePipeline, MAX_IMAGE_BYTES } from '../imaging/index.js';
import { createGuardedFetcher } from '../net/index.js';
import { createApp } from './app.js';
import { createAuthenticator } from './auth.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

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
  const router = createRouter({ backends: config.backends, models: config.models, env: options.env ?? {} });
  const pipeline = createImagePipeline({
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
    maxBytes: MAX_IMAGE_BYTES,
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    totalTimeoutMs: 20_000,
  });
  const app = createApp({
    router,
    pipeline,
    authenticate: createAuthenticator(config.apiKeys),
    logger: options.logger === false ? false : { level: config.logLevel },
    resolvers: {
      fetchUrl: async (url, signal) => (await fetcher.fetch(url, signal)).bytes,
      readFile: async (_workspace, fileId) => {
        throw notFound(`File not found: ${fileId}`);
      },
    },
  });
  if (!LOOPBACK_HOSTS.has(config.host) && config.apiKeys.length === 0) {
    (options.warn ?? console.warn)(
      `\n!!! WARNING: Sightline is listening on ${config.host} with NO API keys configured: anyone who can reach this\n` +
        '!!! address can use it and its backends. Set api_keys in the config file or SIGHTLINE_API_KEYS.\n',
    );
  }
  const url = await app.listen({ host: config.host, port: config.port });
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    close() {
      closing ??= (async () => {
        await app.close();
        await Promise.allSettled([router.close(), fetcher.close()]);
      })();
      return closing;
    },
  };
}
