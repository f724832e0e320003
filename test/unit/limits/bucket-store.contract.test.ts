// The token-bucket contract, run against the in-process store and Redis (SIGHTLINE_TEST_REDIS_URL;
// `bash scripts/ensure-redis.sh` provides one): both must answer exactly alike.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBucketStore } from '../../../src/limits/redis-bucket-store.js';
import { type BucketStore, createMemoryBucketStore } from '../../../src/limits/token-bucket.js';
import { REDIS_URL, requireRedis } from '../../support/redis.js';

const opened: BucketStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
});

const backends: Array<{ name: string; open(): BucketStore; shared: boolean }> = [
  { name: 'memory', open: () => createMemoryBucketStore(), shared: false },
  {
    name: 'redis',
    open: () => createRedisBucketStore(REDIS_URL, { prefix: `test:${randomBytes(6).toString('hex')}:` }),
    shared: true,
  },
];

const T0 = 1_900_000_000_000;

describe.each(backends)('BucketStore contract: $name', (backend) => {
  beforeAll(async () => {
    if (backend.shared) await requireRedis();
  });
  const open = () => {
    const store = backend.open();
    opened.push(store);
    return store;
  };

  it('takes until empty, refuses with the time until enough has refilled, and refills continuously', async () => {
    const store = open();
    const take = { key: 'k:requests', capacity: 60, amount: 1 };
    for (let index = 0; index < 60; index += 1) {
      const result = await store.take([take], T0);
      expect(result.ok).toBe(true);
      expect(result.states[0]?.remaining).toBe(59 - index);
    }
    const refused = await store.take([take], T0);
    expect(refused).toEqual({
      ok: false,
      retryAfterMs: 1000,
      states: [{ remaining: 0, resetMs: T0 + 60_000 }],
    });
    expect((await store.take([take], T0 + 999)).ok).toBe(false);
    const later = await store.take([take], T0 + 1000);
    expect(later.ok).toBe(true);
    expect(later.states[0]).toEqual({ remaining: 0, resetMs: T0 + 1000 + 60_000 });
    // a minute later the bucket is full again
    expect((await store.take([take], T0 + 61_000)).states[0]?.remaining).toBe(59);
  });

  it('is all-or-nothing over several buckets, and charges may leave a bucket in debt', async () => {
    const store = open();
    const requests = { key: 'k:requests', capacity: 10, amount: 1 };
    const tokens = { key: 'k:input', capacity: 1000, amount: 800 };
    expect((await store.take([requests, tokens], T0)).ok).toBe(true);
    const refused = await store.take([requests, tokens], T0);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBe(36_000); // 600 missing at 1000/min
    expect(refused.states.map((state) => state.remaining)).toEqual([9, 200]); // nothing taken
    await store.charge({ key: 'k:output', capacity: 100, amount: 250 }, T0);
    const output = await store.take([{ key: 'k:output', capacity: 100, amount: 0 }], T0);
    expect(output).toMatchObject({ ok: false, retryAfterMs: 90_600 }); // from −150 up to 1
  });

  it('lets a request bigger than the whole limit through once the bucket is full', async () => {
    const store = open();
    const huge = { key: 'k:input', capacity: 1000, amount: 5000 };
    const first = await store.take([huge], T0);
    expect(first.ok).toBe(true);
    expect(first.states[0]?.remaining).toBe(0);
    expect((await store.take([huge], T0 + 60_000)).ok).toBe(false);
    expect((await store.take([huge], T0 + 300_000)).ok).toBe(true);
  });

  it.runIf(backend.shared)('is shared by every process using the same server', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const one = createRedisBucketStore(REDIS_URL, { prefix });
    const two = createRedisBucketStore(REDIS_URL, { prefix });
    opened.push(one, two);
    const take = { key: 'k:requests', capacity: 2, amount: 1 };
    expect((await one.take([take], T0)).ok).toBe(true);
    expect((await two.take([take], T0)).ok).toBe(true);
    expect((await one.take([take], T0)).ok).toBe(false);
  });
});
