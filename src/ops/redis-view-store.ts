// The shared view cache: rendered model views in Redis, so a view rendered on one replica is a hit on
// the others. Keys are the pipeline's view keys (content hash, view size, output format, padding);
// values a small JSON header and the view bytes. A Redis that is down or slow is a miss, never an error.
import { Redis } from 'ioredis';
import type { RenderedView, SharedViewStore } from '../imaging/index.js';

export interface RedisViewStore extends SharedViewStore {
  readonly stats: { hits: number; misses: number; stored: number; errors: number };
  close(): Promise<void>;
}

/** Views larger than this are not shared (Redis values should stay small). */
const MAX_SHARED_BYTES = 8 * 1024 * 1024;

export function createRedisViewStore(
  url: string,
  options: { prefix?: string; ttlSeconds?: number; timeoutMs?: number } = {},
): RedisViewStore {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    // a slow or absent Redis costs at most this per view, then the view is rendered
    commandTimeout: options.timeoutMs ?? 250,
  });
  redis.on('error', () => undefined);
  const prefix = options.prefix ?? 'sightline:view:';
  const ttl = options.ttlSeconds ?? 3600;
  const stats = { hits: 0, misses: 0, stored: 0, errors: 0 };
  return {
    stats,
    async get(key) {
      try {
        const value = await redis.getBuffer(prefix + key);
        if (!value) {
          stats.misses += 1;
          return undefined;
        }
        const headerLength = value.readUInt32BE(0);
        const header = JSON.parse(value.subarray(4, 4 + headerLength).toString()) as Omit<
          RenderedView,
          'data'
        >;
        stats.hits += 1;
        return { ...header, data: Buffer.from(value.subarray(4 + headerLength)) };
      } catch {
        stats.errors += 1;
        return undefined;
      }
    },
    set(key, view) {
      if (view.data.length > MAX_SHARED_BYTES) return;
      const { data, ...header } = view;
      const headerBytes = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(headerBytes.length);
      redis.set(prefix + key, Buffer.concat([length, headerBytes, data]), 'EX', ttl).then(
        () => {
          stats.stored += 1;
        },
        () => {
          stats.errors += 1;
        },
      );
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
