// Per-key limits through the official SDK (1.15): anthropic-ratelimit-* headers on every answer, a 429
// with retry-after that the SDK waits out and retries, the spend-limit 429 it does not retry, and the
// images bucket. In-process buckets here; test/e2e/replicas.test.ts shares them through Redis.
import Anthropic, { RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/ops/keys.js';
import { solid } from '../support/images.js';
import { startSightline, type TestSightline } from './support/servers.js';

const model = 'claude-sonnet-4-6';
let sightline: TestSightline;
let png: string;

beforeAll(async () => {
  png = (await solid(64, 64, [200, 10, 10]).png().toBuffer()).toString('base64');
  sightline = await startSightline(`
api_keys:
  - { key: sk-paced, workspace: paced }
  - { key: sk-broke, workspace: broke }
  - { key: sk-pictures, workspace: pictures }
  - { key: sk-tokens, workspace: tokens }
admin_keys: [{ key: sk-admin, name: ops }]
metrics: { enabled: true }
limits:
  default: { requests_per_minute: 60, input_tokens_per_minute: 100000 }
  keys:
    ${keyIdOf('sk-broke')}: { monthly_budget_usd: 0 }
    ${keyIdOf('sk-pictures')}: { images_per_minute: 2, requests_per_minute: 1000 }
    ${keyIdOf('sk-tokens')}: { input_tokens_per_minute: 6000 }
`);
});
afterAll(async () => {
  await sightline?.stop();
});

const countTokens = (key: string, content: unknown = 'hi') =>
  fetch(`${sightline.url}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
const metric = async (pattern: RegExp): Promise<number> => {
  const text = await (
    await fetch(`${sightline.url}/metrics`, { headers: { 'x-api-key': 'sk-admin' } })
  ).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
};
const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } };

describe('per-key limits', () => {
  it('sends the rate-limit headers on successful answers', async () => {
    const client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-paced', maxRetries: 0 });
    const { response } = await client.messages
      .create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    const headers = response.headers;
    expect(headers.get('anthropic-ratelimit-requests-limit')).toBe('60');
    expect(headers.get('anthropic-ratelimit-requests-remaining')).toBe('59');
    expect(headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(headers.get('anthropic-ratelimit-input-tokens-limit')).toBe('100000');
    expect(Number(headers.get('anthropic-ratelimit-input-tokens-remaining'))).toBeLessThan(100000);
    expect(headers.get('anthropic-ratelimit-tokens-limit')).toBe('100000');
    expect(headers.get('retry-after')).toBeNull();
  });

  it('refuses past the request rate with 429, retry-after and x-should-retry', async () => {
    let refused: Response | undefined;
    for (let attempt = 0; attempt < 200 && !refused; attempt += 1) {
      const response = await countTokens('sk-paced');
      if (response.status !== 200) refused = response;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get('retry-after')).toBe('1'); // one request refills in a second
    expect(refused?.headers.get('x-should-retry')).toBe('true');
    expect(refused?.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const body = await refused?.json();
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.request_id).toMatch(/^req_/);
    expect(await metric(/sightline_rate_limited_total\{kind="rate"\} (\d+)/)).toBeGreaterThan(0);
  });

  it('the SDK waits out retry-after and retries; without retries it raises RateLimitError', async () => {
    // the token bucket (6000 a minute, 100 a second) is emptied by one big request
    // sized by count_tokens to just over the limit, so the bucket ends a little in debt
    const phrase = 'lorem ipsum dolor sit amet ';
    const counted = (await (await countTokens('sk-tokens', phrase.repeat(1000))).json()).input_tokens;
    const big = phrase.repeat(Math.ceil((6050 / counted) * 1000));
    const client = (maxRetries: number) =>
      new Anthropic({ baseURL: sightline.url, apiKey: 'sk-tokens', maxRetries });
    const first = await client(0)
      .messages.create({ model, max_tokens: 5, messages: [{ role: 'user', content: big }] })
      .withResponse();
    expect(first.data.usage.input_tokens).toBeGreaterThan(6000);
    expect(first.data.usage.input_tokens).toBeLessThan(6200);
    expect(first.response.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe('0');
    const small = { model, max_tokens: 5, messages: [{ role: 'user' as const, content: 'x '.repeat(100) }] };
    const error = await client(0)
      .messages.create(small)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(Number((error as RateLimitError).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const started = performance.now();
    const message = await client(2).messages.create(small);
    expect(message.type).toBe('message');
    expect(performance.now() - started).toBeGreaterThan(900); // it waited for the bucket
  });

  it('answers a spent budget with enforced_spend_limit_reached, no retry-after, and the SDK does not retry', async () => {
    const client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-broke', maxRetries: 2 });
    const error = (await client.messages
      .create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'Hello' }] })
      .catch((caught: unknown) => caught)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.errorCode).toBe('enforced_spend_limit_reached');
    expect(error.type).toBe('rate_limit_error');
    expect(error.headers.get('retry-after')).toBeNull();
    expect(error.headers.get('x-should-retry')).toBe('false');
    expect(await metric(/sightline_rate_limited_total\{kind="spend"\} (\d+)/)).toBe(1); // one attempt only
  });

  it('counts images per minute', async () => {
    const block = { ...image, source: { ...image.source, data: png } };
    const create = (content: unknown[]) =>
      fetch(`${sightline.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'sk-pictures', 'content-type': 'application/json' },
        body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content }] }),
      });
    const first = await create([block, block, block]); // bigger than the limit: passes on a full bucket
    expect(first.status).toBe(200);
    expect(first.headers.get('sightline-ratelimit-images-limit')).toBe('2');
    expect(first.headers.get('sightline-ratelimit-images-remaining')).toBe('0');
    const second = await create([block]);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(50); // 2 images short at 2 a minute
    expect((await second.json()).error.message).toContain('images');
  });
});
