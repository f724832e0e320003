import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../backends/registry.js';
import { createImagePipeline } from '../imaging/index.js';
import { createApp } from './app.js';
import { createAuthenticator, keyIdOf } from './auth.js';

// The request's one log line is derived from its facts, the record usage and metrics read: what it says
// about a refused or repaired request is what they count.
const lines: Array<Record<string, unknown>> = [];
let app: FastifyInstance;
const router = createRouter({ backends: {}, models: [] });
const KEY = 'sk-log-test';
const MODEL = 'claude-haiku-4-5'; // 200k context: at most 100 images per request

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  app = createApp({
    router,
    pipeline: createImagePipeline(),
    resolvers: { fetchUrl: async () => Buffer.alloc(0), findFile: async () => undefined },
    authenticate: createAuthenticator([]),
    logger: { level: 'info', stream },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await router.close();
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });

/** The line logged for the request with this id. */
const lineOf = (requestId: string) => lines.find((line) => line.reqId === requestId);

describe('the request log line, from the request facts', () => {
  it('names no model for a body that did not parse as a request, and says why it was refused', async () => {
    const response = await post('/v1/messages', { model: 'claude-sonnet-4-6', max_tokens: 5 });
    expect(response.statusCode).toBe(400);
    const line = lineOf(String(response.headers['request-id']));
    expect(line).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      status: 400,
      api_key_id: keyIdOf(KEY),
      error: { type: 'invalid_request_error', message: 'messages: Field required' },
    });
    expect(line).not.toHaveProperty('model');
    expect(line).not.toHaveProperty('images');
  });

  it('counts the images of a repaired request after the repair, as its token count does', async () => {
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 40, b: 40 } },
    })
      .png()
      .toBuffer();
    const image = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') },
    };
    const body = {
      model: MODEL,
      messages: [
        { role: 'user', content: Array.from({ length: 101 }, () => image) },
        { role: 'assistant', content: 'Seen.' },
        { role: 'user', content: 'And now?' },
      ],
    };
    const response = await post('/v1/messages/count_tokens', body, { 'sightline-repair': 'history' });
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['sightline-repairs'])).toContain('omitted');
    const line = lineOf(String(response.headers['request-id']));
    expect(line).toMatchObject({
      status: 200,
      model: MODEL,
      images: 100, // one of the 101 omitted by the repair
      input_tokens: response.json().input_tokens,
    });
    expect(line?.image_tokens).toBeGreaterThan(0);
  });
});
