// Usage recording off the request path: records are queued in memory and written in batches (every
// `intervalMs`, or as soon as `batchSize` are waiting). `close()` writes everything still queued, so a
// graceful shutdown loses nothing. A failed write is retried with the next batch (kept up to a bound).
import type { UsageRecord, UsageStore } from './types.js';

export interface UsageRecorder {
  /** Queues a record; never blocks and never throws. */
  record(record: UsageRecord): void;
  /** Writes what is queued now. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is queued. */
  close(): Promise<void>;
  /** records queued and not yet written (for metrics and tests) */
  readonly pending: number;
}

export interface UsageRecorderOptions {
  intervalMs?: number;
  batchSize?: number;
  /** at most this many records wait in memory; beyond it the oldest are dropped (and reported) */
  maxPending?: number;
  onError?: (error: unknown, dropped: number) => void;
}

export function createUsageRecorder(store: UsageStore, options: UsageRecorderOptions = {}): UsageRecorder {
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? 500;
  const maxPending = options.maxPending ?? 100_000;
  let queue: UsageRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  const write = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await store.recordUsage(batch);
      } catch (error) {
        // put it back in front, bounded: a store that stays down must not exhaust memory
        queue = [...batch, ...queue];
        const dropped = Math.max(0, queue.length - maxPending);
        if (dropped > 0) queue = queue.slice(dropped);
        options.onError?.(error, dropped);
        return;
      }
    }
  };
  const flush = (): Promise<void> => {
    writing = writing.then(write);
    return writing;
  };
  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();

  return {
    record(record) {
      queue.push(record);
      if (queue.length > maxPending) {
        queue.shift();
        options.onError?.(new Error('usage queue full'), 1);
      }
      if (queue.length >= batchSize && !closed) void flush();
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
    get pending() {
      return queue.length;
    },
  };
}
