import { describe, expect, it } from 'vitest';
import { createUsageRecorder } from './recorder.js';
import type { UsageRecord, UsageStore } from './types.js';

const record = (requestId: string): UsageRecord => ({
  timeMs: 1,
  requestId,
  kind: 'messages',
  workspace: 'w',
  apiKeyId: 'apikey_x',
  model: 'm',
  backend: 'local',
  rules: null,
  status: 200,
  errorType: null,
  inputTokens: 1,
  outputTokens: 1,
  images: 0,
  imageTokens: 0,
  latencyMs: 1,
  inputCostUsd: 0,
  outputCostUsd: 0,
});

function fakeStore(failures = 0) {
  const batches: string[][] = [];
  let failing = failures;
  const store: UsageStore = {
    async recordUsage(records) {
      if (failing > 0) {
        failing -= 1;
        throw new Error('store down');
      }
      batches.push(records.map((entry) => entry.requestId));
    },
    queryUsage: async () => [],
  };
  return { store, batches };
}

describe('createUsageRecorder', () => {
  it('writes nothing on the request path: records wait for the batch, and close writes the rest', async () => {
    const { store, batches } = fakeStore();
    const recorder = createUsageRecorder(store, { intervalMs: 60_000, batchSize: 3 });
    recorder.record(record('a'));
    recorder.record(record('b'));
    expect(batches).toEqual([]);
    expect(recorder.pending).toBe(2);
    recorder.record(record('c')); // a full batch is written at once
    await recorder.flush();
    expect(batches).toEqual([['a', 'b', 'c']]);
    recorder.record(record('d'));
    await recorder.close();
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
    expect(recorder.pending).toBe(0);
  });

  it('keeps records a failed write could not store and writes them with the next batch', async () => {
    const { store, batches } = fakeStore(1);
    const errors: unknown[] = [];
    const recorder = createUsageRecorder(store, {
      intervalMs: 60_000,
      onError: (error) => errors.push(error),
    });
    recorder.record(record('a'));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    expect(recorder.pending).toBe(1);
    recorder.record(record('b'));
    await recorder.close();
    expect(batches).toEqual([['a', 'b']]);
  });

  it('bounds what waits in memory while the store is down', async () => {
    const { store } = fakeStore(100);
    const dropped: number[] = [];
    const recorder = createUsageRecorder(store, {
      intervalMs: 60_000,
      maxPending: 5,
      onError: (_error, count) => dropped.push(count),
    });
    for (let index = 0; index < 8; index += 1) recorder.record(record(String(index)));
    expect(recorder.pending).toBe(5);
    expect(dropped.reduce((sum, count) => sum + count, 0)).toBe(3);
    await recorder.close();
  });
});
