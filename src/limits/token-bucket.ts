// Token buckets per key, as Claude's rate limits work: each bucket holds up to `capacity` (the per-minute
// limit) and refills continuously at capacity/60 s. A take is all-or-nothing over several buckets.
// Two stores implement it: in-process (one server) and Redis (shared by every replica).

export interface BucketTake {
  /** e.g. `apikey_x:requests` */
  key: string;
  /** the per-minute limit */
  capacity: number;
  /** what the request takes; 0 only checks that the bucket is not empty */
  amount: number;
}

export interface BucketState {
  /** what is left after this take (or now, when refused), at least 0 */
  remaining: number;
  /** epoch ms when the bucket is full again */
  resetMs: number;
}

export interface TakeResult {
  ok: boolean;
  states: BucketState[];
  /** when refused: how long until every bucket holds enough */
  retryAfterMs: number;
}

export interface BucketStore {
  /** Takes from every bucket, or from none when one lacks what is needed. */
  take(takes: readonly BucketTake[], nowMs: number): Promise<TakeResult>;
  /** Takes unconditionally (may go below zero): output tokens, known only once the answer is done. */
  charge(take: BucketTake, nowMs: number): Promise<void>;
  close(): Promise<void>;
}

const PER_MS = 1 / 60_000;

/**
 * What a take needs present: at least one unit, at most the whole bucket (so a request bigger than the
 * limit waits for a full bucket, then passes and leaves the bucket in debt, rather than never passing).
 */
export const needed = (take: BucketTake): number => Math.min(Math.max(take.amount, 1), take.capacity);

/** The pure arithmetic, shared by the in-process store and mirrored by the Redis script. */
export function applyTakes(levels: number[], takes: readonly BucketTake[], nowMs: number): TakeResult {
  let retryAfterMs = 0;
  takes.forEach((take, index) => {
    const lacking = needed(take) - (levels[index] as number);
    if (lacking > 0) retryAfterMs = Math.max(retryAfterMs, lacking / (take.capacity * PER_MS));
  });
  const ok = retryAfterMs === 0;
  const states = takes.map((take, index) => {
    const level = (levels[index] as number) - (ok ? take.amount : 0);
    levels[index] = level;
    return {
      remaining: Math.max(0, Math.floor(level)),
      resetMs: nowMs + Math.ceil(Math.max(0, take.capacity - level) / (take.capacity * PER_MS)),
    };
  });
  return { ok, states, retryAfterMs: Math.ceil(retryAfterMs) };
}

export function createMemoryBucketStore(): BucketStore {
  const buckets = new Map<string, { level: number; atMs: number }>();
  const current = (take: BucketTake, nowMs: number): number => {
    const bucket = buckets.get(take.key);
    if (!bucket) return take.capacity;
    const elapsed = Math.max(0, nowMs - bucket.atMs);
    return Math.min(take.capacity, bucket.level + elapsed * take.capacity * PER_MS);
  };
  const sweep = setInterval(() => {
    // full buckets need no memory: a missing bucket is a full one
    const now = Date.now();
    for (const [key, bucket] of buckets) if (now - bucket.atMs > 120_000) buckets.delete(key);
  }, 60_000);
  sweep.unref();
  return {
    async take(takes, nowMs) {
      const levels = takes.map((take) => current(take, nowMs));
      const result = applyTakes(levels, takes, nowMs);
      takes.forEach((take, index) => {
        buckets.set(take.key, { level: levels[index] as number, atMs: nowMs });
      });
      return result;
    },
    async charge(take, nowMs) {
      buckets.set(take.key, { level: current(take, nowMs) - take.amount, atMs: nowMs });
    },
    async close() {
      clearInterval(sweep);
    },
  };
}
