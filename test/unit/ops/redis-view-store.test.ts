// The view cache shared through Redis (SIGHTLINE_TEST_REDIS_URL; `bash scripts/ensure-redis.sh`):
// a view rendered by one pipeline (replica) is a hit on another, byte for byte; a Redis that does not
// answer is a miss and the view is rendered.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, maxImagesFor } from '../../../src/catalog/index.js';
import { createImagePipeline } from '../../../src/imaging/index.js';
import { createRedisViewStore, type RedisViewStore } from '../../../src/ops/redis-view-store.js';
import { noisyJpeg } from '../../support/images.js';
import { REDIS_URL, requireRedis } from '../../support/redis.js';

const model = createCatalog().find('claude-sonnet-4-6')!;
const target = { id: model.id, profile: model.profile, maxImages: maxImagesFor(model) };
const stores: RedisViewStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});
const open = (url: string, prefix: string) => {
  const store = createRedisViewStore(url, { prefix });
  stores.push(store);
  return store;
};
const until = async (check: () => boolean) => {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) await new Promise((r) => setTimeout(r, 20));
};

describe('createRedisViewStore', () => {
  beforeAll(() => requireRedis());
  it('a view rendered on one replica is a hit on another', async () => {
    const prefix = `test:view:${randomBytes(6).toString('hex')}:`;
    const sharedA = open(REDIS_URL, prefix);
    const sharedB = open(REDIS_URL, prefix);
    const replicaA = createImagePipeline({ sharedViews: sharedA });
    const replicaB = createImagePipeline({ sharedViews: sharedB });
    const image = {
      path: 'messages.0.content.0',
      source: {
        kind: 'base64' as const,
        mediaType: 'image/jpeg',
        data: (await noisyJpeg(1800, 1200)).toString('base64'),
      },
    };
    const [rendered] = await replicaA.prepare([image], target);
    expect(sharedA.stats).toMatchObject({ hits: 0, misses: 1 });
    await until(() => sharedA.stats.stored === 1);
    const [shared] = await replicaB.prepare([image], target);
    expect(sharedB.stats).toMatchObject({ hits: 1, misses: 0 });
    expect(shared?.view.data.equals(rendered!.view.data)).toBe(true);
    expect({ ...shared!.view, data: null }).toEqual({ ...rendered!.view, data: null });
  });

  it('a Redis that does not answer is a miss: the view is rendered', async () => {
    const unreachable = open('redis://127.0.0.1:1', 'x:');
    const pipeline = createImagePipeline({ sharedViews: unreachable });
    const image = {
      path: 'messages.0.content.0',
      source: {
        kind: 'base64' as const,
        mediaType: 'image/jpeg',
        data: (await noisyJpeg(300, 200)).toString('base64'),
      },
    };
    const [prepared] = await pipeline.prepare([image], target);
    expect(prepared?.view.data.length).toBeGreaterThan(0);
    expect(unreachable.stats.errors).toBeGreaterThan(0);
  });
});
