// Per-key limits as Claude answers them (docs/rules/requests.md §4): token buckets for requests, input tokens,
// output tokens and images per minute, and a monthly budget. Every answer to a limited key carries the
// `anthropic-ratelimit-*` headers (Sightline's images bucket: `sightline-ratelimit-images-*`); a refusal
// is 429 rate_limit_error with `retry-after`, or, past the budget, 429 with details.error_code
// `enforced_spend_limit_reached` and no `retry-after`.
import type { KeyLimits } from '../config/operations-config.js';
import { ApiError } from '../errors/index.js';
import { type BucketState, type BucketStore, type BucketTake, needed } from './token-bucket.js';

type Bucket = 'requests' | 'input_tokens' | 'output_tokens' | 'images';

const CAPACITY: Record<Bucket, keyof KeyLimits> = {
  requests: 'requestsPerMinute',
  input_tokens: 'inputTokensPerMinute',
  output_tokens: 'outputTokensPerMinute',
  images: 'imagesPerMinute',
};

const HEADER_PREFIX: Record<Bucket, string> = {
  requests: 'anthropic-ratelimit-requests',
  input_tokens: 'anthropic-ratelimit-input-tokens',
  output_tokens: 'anthropic-ratelimit-output-tokens',
  images: 'sightline-ratelimit-images',
};

export type Headers = Record<string, string>;

/**
 * A refusal by a limit: 429 rate_limit_error with the rate-limit headers (and `retry-after` for a rate
 * limit); the spend limit adds details.error_code and says not to retry (resending cannot help this month).
 */
const limitError = (message: string, headers: Headers, spend = false): ApiError =>
  new ApiError(429, 'rate_limit_error', message, {
    headers,
    ...(spend ? { details: { error_code: 'enforced_spend_limit_reached' }, retryable: false } : {}),
  });

export interface Limits {
  /** Before any work: one request taken, the token buckets must not be empty, the budget not spent. */
  beforeWork(keyId: string): Promise<Headers>;
  /** Once the request's size is known: its input tokens and images taken. */
  beforeBackend(keyId: string, amounts: { inputTokens: number; images: number }): Promise<Headers>;
  /** After the answer: its output tokens charged. */
  afterAnswer(keyId: string, outputTokens: number): Promise<void>;
  close(): Promise<void>;
}

export interface LimitsOptions {
  default: KeyLimits;
  keys: Record<string, KeyLimits>;
  buckets: BucketStore;
  /** USD spent by the key since `sinceMs` (usage store plus what is still queued) */
  spentSince(keyId: string, sinceMs: number): Promise<number>;
  now?: () => number;
}

/** Keys whose bucket states are remembered for the headers (with no keys configured, any key is one). */
const MAX_KNOWN_KEYS = 10_000;

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const monthStart = (ms: number): number => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
const nextMonthStart = (ms: number): number => {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

export function createLimits(options: LimitsOptions): Limits {
  const now = options.now ?? Date.now;
  const limitsOf = (keyId: string): KeyLimits => ({ ...options.default, ...options.keys[keyId] });
  /** the last known state of each bucket of a key, so every response can report all of them */
  const known = new Map<string, Partial<Record<Bucket, BucketState & { limit: number }>>>();

  const headersOf = (keyId: string): Headers => {
    const states = known.get(keyId) ?? {};
    const headers: Headers = {};
    for (const [bucket, state] of Object.entries(states) as Array<
      [Bucket, BucketState & { limit: number }]
    >) {
      const prefix = HEADER_PREFIX[bucket];
      headers[`${prefix}-limit`] = String(state.limit);
      headers[`${prefix}-remaining`] = String(state.remaining);
      headers[`${prefix}-reset`] = rfc3339(state.resetMs);
    }
    // tokens-*: the most restrictive of the input and output token limits
    const tokens = [states.input_tokens, states.output_tokens]
      .filter((state) => state !== undefined)
      .sort((a, b) => a.remaining - b.remaining)[0];
    if (tokens) {
      headers['anthropic-ratelimit-tokens-limit'] = String(tokens.limit);
      headers['anthropic-ratelimit-tokens-remaining'] = String(tokens.remaining);
      headers['anthropic-ratelimit-tokens-reset'] = rfc3339(tokens.resetMs);
    }
    return headers;
  };

  async function take(keyId: string, amounts: Partial<Record<Bucket, number>>): Promise<Headers> {
    const limits = limitsOf(keyId);
    const takes: Array<BucketTake & { bucket: Bucket }> = [];
    for (const [bucket, amount] of Object.entries(amounts) as Array<[Bucket, number]>) {
      const capacity = limits[CAPACITY[bucket]];
      if (capacity !== undefined) takes.push({ bucket, key: `${keyId}:${bucket}`, capacity, amount });
    }
    if (takes.length === 0) return headersOf(keyId);
    const at = now();
    const result = await options.buckets.take(takes, at);
    const states = known.get(keyId) ?? {};
    takes.forEach((take, index) => {
      states[take.bucket] = { ...(result.states[index] as BucketState), limit: take.capacity };
    });
    known.delete(keyId); // re-inserted last: the map stays in least-recently-used order
    known.set(keyId, states);
    if (known.size > MAX_KNOWN_KEYS) known.delete(known.keys().next().value as string);
    const headers = headersOf(keyId);
    if (!result.ok) {
      const lacking = takes
        .filter((entry, index) => (result.states[index] as BucketState).remaining < needed(entry))
        .map((entry) => entry.bucket.replace('_', ' '));
      headers['retry-after'] = String(Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
      throw limitError(
        `This request would exceed the rate limit for your organization of ${lacking.join(', ') || 'requests'} per minute. ` +
          'Please wait before trying again, or reduce the request size.',
        headers,
      );
    }
    return headers;
  }

  async function checkBudget(keyId: string): Promise<void> {
    const budget = limitsOf(keyId).monthlyBudgetUsd;
    if (budget === undefined) return;
    const at = now();
    const spent = await options.spentSince(keyId, monthStart(at));
    if (spent >= budget) {
      throw limitError(
        `You have reached your specified API usage limits: this key's monthly budget of $${budget} is spent. ` +
          `You will regain access on ${rfc3339(nextMonthStart(at))}.`,
        headersOf(keyId),
        true,
      );
    }
  }

  return {
    async beforeWork(keyId) {
      await checkBudget(keyId);
      return take(keyId, { requests: 1, input_tokens: 0, output_tokens: 0 });
    },
    beforeBackend: (keyId, { inputTokens, images }) =>
      take(keyId, { input_tokens: inputTokens, ...(images > 0 ? { images } : {}) }),
    async afterAnswer(keyId, outputTokens) {
      const capacity = limitsOf(keyId).outputTokensPerMinute;
      if (capacity === undefined || outputTokens <= 0) return;
      await options.buckets.charge({ key: `${keyId}:output_tokens`, capacity, amount: outputTokens }, now());
    },
    close: () => options.buckets.close(),
  };
}
