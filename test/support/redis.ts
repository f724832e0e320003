// The Redis the tests share (SIGHTLINE_TEST_REDIS_URL, default 127.0.0.1:6379; `npm test` starts one
// through scripts/ensure-redis.sh). Tests that need it check it first and fail with what to do.
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.SIGHTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function requireRedis(url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${url} (${(error as Error).message}): run 'bash scripts/ensure-redis.sh' or set SIGHTLINE_TEST_REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}
