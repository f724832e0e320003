// Issue 11, item 5: misbehaving upstreams against a real `sightline serve` process. A huge JSON reply is
// cut at the backend's byte cap (the process stays small), an endless SSE stream ends a non-streamed
// request at max_tokens and is hung up on, and an upstream that never answers fails after timeout_ms.
import { readFile } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServeProcess } from '../support/process.js';
import {
  anthropicEvent,
  type LoopbackServer,
  messageStart,
  startLoopbackServer,
} from '../support/upstreams.js';

let server: ServeProcess;
let client: Anthropic;
const upstreams: LoopbackServer[] = [];
let endlessClosed = 0;

async function listen(handler: Parameters<typeof startLoopbackServer>[0]): Promise<string> {
  const upstream = await startLoopbackServer(handler);
  upstreams.push(upstream);
  return upstream.url;
}

/** An OpenAI-compatible upstream answering 300 MB of JSON (a never-ending string), as fast as it can. */
const hugeJson = () =>
  listen((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"id":"x","choices":[{"message":{"role":"assistant","content":"');
    const piece = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const more = () => {
      while (sent < 300 && !response.destroyed) {
        sent += 1;
        if (!response.write(piece)) return void response.once('drain', more);
      }
      response.end('"}}]}');
    };
    response.on('close', () => (sent = 300));
    more();
  });

/** An Anthropic upstream whose SSE answer never ends: a text delta every millisecond. */
const endlessStream = () =>
  listen((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(messageStart('m', { input_tokens: 5, output_tokens: 1 }, 'msg_endless'));
    response.write(
      anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    );
    const delta = anthropicEvent('content_block_delta', {
      index: 0,
      delta: { type: 'text_delta', text: 'more words ' },
    });
    const timer = setInterval(() => {
      for (let index = 0; index < 20; index += 1) response.write(delta);
    }, 1);
    response.on('close', () => {
      clearInterval(timer);
      endlessClosed += 1;
    });
  });

/** Accepts the request and never answers. */
const silent = () => listen((request) => request.resume());

const peakRssMb = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
};

beforeAll(async () => {
  const [huge, endless, quiet] = await Promise.all([hugeJson(), endlessStream(), silent()]);
  server = await startServeProcess(
    [
      'backends:',
      `  huge: { type: openai-compatible, base_url: "${huge}/v1", max_response_bytes: 8388608 }`,
      `  endless: { type: anthropic, base_url: "${endless}" }`,
      `  quiet: { type: anthropic, base_url: "${quiet}", timeout_ms: 1000 }`,
      'models:',
      '  - { id: huge-model, backend: huge }',
      '  - { id: endless-model, backend: endless }',
      '  - { id: quiet-model, backend: quiet }',
      '',
    ].join('\n'),
  );
  client = new Anthropic({ baseURL: server.url, apiKey: 'sk-upstreams', maxRetries: 0, timeout: 20_000 });
});

afterAll(async () => {
  await server?.stop();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

const ask = (model: string, maxTokens = 50) =>
  client.messages.create({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] });

describe('misbehaving upstreams', () => {
  it('a 300 MB JSON reply is cut at max_response_bytes: 500 api_error, the process stays small', async () => {
    const before = await peakRssMb(server.child.pid!);
    const results = await Promise.allSettled([ask('huge-model'), ask('huge-model')]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as InstanceType<typeof Anthropic.APIError>;
      expect(error.status).toBe(500);
      expect(error.error).toMatchObject({
        type: 'error',
        error: { type: 'api_error', message: 'huge: the upstream response exceeded 8388608 bytes' },
      });
      expect(error.headers?.get('x-should-retry')).toBe('false');
    }
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(before + 150);
  });

  it('an endless SSE answer ends a non-streamed request at max_tokens, and the upstream is hung up on', async () => {
    const started = Date.now();
    const message = await ask('endless-model', 50);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(50);
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text.length).toBeLessThan(4 * (2 * 50 + 16) + 16);
    await expect.poll(() => endlessClosed, { timeout: 2_000 }).toBeGreaterThan(0);
  });

  it('the same endless answer streamed to the client ends too', async () => {
    const stream = client.messages.stream({
      model: 'endless-model',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('an upstream that never answers fails after its timeout_ms', async () => {
    const started = Date.now();
    await expect(ask('quiet-model')).rejects.toMatchObject({ status: 500 });
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
