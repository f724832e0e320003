// Retries and error codes as SDK 1.15 reads them (docs/rules/wire.md §2.3, §3): a flaky loopback Anthropic
// upstream behind Sightline, the SDK with its default retry policy, and the upstream's hits counted.
import Anthropic, {
  APIError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pngBomb, solid } from '../support/images.js';
import { rejectionBy } from '../support/thrown.js';
import { startAnthropicUpstream, type Upstream } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

const { ImageDimensionsTooLargeError } = Anthropic;

let sightline: TestSightline;
let claude: Upstream;
let client: Anthropic; // the SDK's defaults: maxRetries 2
const model = 'claude-opus-4-6';
const ask = () =>
  client.messages.create({ model, max_tokens: 32, messages: [{ role: 'user', content: 'Hello?' }] });

const failure = (status: number, type: string, message: string, headers: Record<string, string> = {}) => ({
  status,
  headers,
  body: { type: 'error', error: { type, message } },
});

const rejection = (promise: Promise<unknown>): Promise<APIError> => rejectionBy(promise, APIError);

beforeAll(async () => {
  claude = await startAnthropicUpstream();
  sightline = await startSightline(`
backends:
  claude: { type: anthropic, base_url: "${claude.url}", api_key: up }
models:
  - { id: ${model}, backend: claude }
`);
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-retries' });
});

afterAll(async () => {
  await sightline?.stop();
  await claude?.close();
});

beforeEach(() => {
  claude.requests.length = 0;
  claude.reply.failures = [];
});

describe('the SDK retries what Sightline says is transient', () => {
  it('a 500 is retried, and the retry succeeds', async () => {
    claude.reply.failures = [failure(500, 'api_error', 'Internal server error')];
    const message = await ask();
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from Claude upstream.' });
    expect(claude.requests).toHaveLength(2);
  });

  it('a 400 is not retried', async () => {
    claude.reply.failures = [failure(400, 'invalid_request_error', 'no thanks')];
    const error = await rejection(ask());
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(claude.requests).toHaveLength(1);
  });

  it("a 429's retry-after is passed through and honoured", async () => {
    claude.reply.failures = [failure(429, 'rate_limit_error', 'slow down', { 'retry-after': '1' })];
    const started = performance.now();
    await ask();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(claude.requests).toHaveLength(2);
  });

  it('retry-after-ms and x-should-retry reach the client unchanged', async () => {
    const hints = { 'retry-after': '30', 'retry-after-ms': '1500', 'x-should-retry': 'false' };
    claude.reply.failures = [failure(429, 'rate_limit_error', 'spend cap', hints)];
    const error = await rejection(ask());
    expect(error).toBeInstanceOf(RateLimitError);
    for (const [name, value] of Object.entries(hints)) expect(error.headers?.get(name)).toBe(value);
    expect(claude.requests).toHaveLength(1); // the upstream said not to: the SDK obeys
  });

  it('529 overloaded: retried twice, then OverloadedError; the status line reads 529 Overloaded', async () => {
    claude.reply.failures = [1, 2, 3].map(() =>
      failure(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '50' }),
    );
    const error = await rejection(ask());
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error.headers?.get('x-should-retry')).toBe('true');
    expect(claude.requests).toHaveLength(3);

    claude.reply.failures = [failure(529, 'overloaded_error', 'Overloaded')];
    const response = await fetch(`${sightline.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(529);
    expect(response.statusText).toBe('Overloaded');
    expect(await response.json()).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it("the upstream refusing Sightline's own key is a 500 not worth retrying", async () => {
    claude.reply.failures = [failure(401, 'authentication_error', 'invalid x-api-key')];
    const error = await rejection(ask());
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.headers?.get('x-should-retry')).toBe('false');
    expect(claude.requests).toHaveLength(1);
  });

  it("an upstream's error code reaches the SDK (its class too)", async () => {
    claude.reply.failures = [
      {
        status: 400,
        headers: {},
        body: {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'too large',
            details: {
              error_code: 'image_dimensions_too_large',
              max_side_length_pixels: 8000,
              paths: ['messages.0.content.0'],
            },
          },
        },
      },
    ];
    const error = await rejection(ask());
    expect(error).toBeInstanceOf(ImageDimensionsTooLargeError);
  });
});

describe('image_dimensions_too_large from Sightline itself', () => {
  const png = (bytes: Buffer) =>
    ({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: bytes.toString('base64') },
    }) as const;

  it('8000 px: ImageDimensionsTooLargeError naming every image over it, not retried', async () => {
    const small = await solid(20, 20, [1, 2, 3]).png().toBuffer();
    const error = await rejection(
      client.messages.create({
        model,
        max_tokens: 16,
        messages: [
          { role: 'user', content: [png(pngBomb(8001, 20)), png(small)] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'shot', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [png(pngBomb(20, 12000))] }],
          },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ImageDimensionsTooLargeError);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.errorCode).toBe('image_dimensions_too_large');
    expect(error.details).toEqual({
      error_code: 'image_dimensions_too_large',
      max_side_length_pixels: 8000,
      paths: ['messages.0.content.0', 'messages.2.content.0.content.0'],
    });
    expect(claude.requests).toHaveLength(0);
  });

  it('more than 20 images: the 2000-px limit', async () => {
    const small = await solid(20, 20, [1, 2, 3]).png().toBuffer();
    const content = Array.from({ length: 21 }, (_, index) => png(index === 20 ? pngBomb(2400, 20) : small));
    const error = await rejection(
      client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content }] }),
    );
    expect(error).toBeInstanceOf(ImageDimensionsTooLargeError);
    expect(error.details).toMatchObject({ max_side_length_pixels: 2000, paths: ['messages.0.content.20'] });
  });
});
