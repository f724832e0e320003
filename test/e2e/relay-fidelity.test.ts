// Relayed streams as Claude streams them: message_start as soon as the upstream accepts (not when its
// first delta arrives), every upstream delta as its own event, one input count in message_start and
// message_delta, and `citations: null` on text blocks. Upstreams are loopback servers whose deltas are
// held back until the test releases them.
import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  messageStart,
  openAiChunk,
  anthropicEvent as sse,
  startLoopbackServer,
} from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

interface HeldUpstream {
  url: string;
  /** resolves when a request has been answered with headers (and, for Anthropic, message_start) */
  accepted(): Promise<void>;
  /** lets the held-back rest of the answer go */
  release(): void;
  close(): Promise<void>;
}

const TOOL_PIECES = ['{"action": "left_', 'click", "coordinate": [70', '0, 400]}'];
const TEXT_PIECES = ['Clicking ', 'the ', 'menu.'];
const UPSTREAM_INPUT_TOKENS = 4321;

/** A gate per request: the upstream writes its head, then waits for the test before the deltas. */
async function startHeldUpstream(
  writeHead: (response: ServerResponse, model: string) => void,
  writeRest: (response: ServerResponse) => void,
): Promise<HeldUpstream> {
  let onAccepted: () => void = () => {};
  let acceptedNow = new Promise<void>((resolve) => {
    onAccepted = resolve;
  });
  let releaseNow: () => void = () => {};
  let released = new Promise<void>((resolve) => {
    releaseNow = resolve;
  });
  const upstream = await startLoopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string };
      writeHead(response, body.model);
      onAccepted();
      void released.then(() => writeRest(response));
    });
  });
  return {
    url: upstream.url,
    accepted: () => acceptedNow,
    release() {
      releaseNow();
      // arm the gates again for the next request
      acceptedNow = new Promise<void>((resolve) => {
        onAccepted = resolve;
      });
      released = new Promise<void>((resolve) => {
        releaseNow = resolve;
      });
    },
    close: () => {
      releaseNow();
      return upstream.close();
    },
  };
}

const startHeldAnthropic = () =>
  startHeldUpstream(
    (response, model) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(messageStart(model, { input_tokens: UPSTREAM_INPUT_TOKENS, output_tokens: 1 }));
    },
    (response) => {
      let body = sse('content_block_start', {
        index: 0,
        content_block: { type: 'text', text: '', citations: null },
      });
      for (const text of TEXT_PIECES)
        body += sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
      body += sse('content_block_stop', { index: 0 });
      body += sse('content_block_start', {
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_01', name: 'computer', input: {} },
      });
      for (const partial_json of TOOL_PIECES)
        body += sse('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json } });
      body += sse('content_block_stop', { index: 1 });
      body += sse('message_delta', {
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: UPSTREAM_INPUT_TOKENS, output_tokens: 9 },
      });
      body += sse('message_stop');
      response.end(body);
    },
  );

const startHeldOpenAi = () =>
  startHeldUpstream(
    (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': accepted\n\n');
    },
    (response) => {
      const chunk = (delta: object, finish: string | null = null) =>
        openAiChunk({ choices: [{ index: 0, delta, finish_reason: finish }] }, 'c1');
      response.end(
        TEXT_PIECES.map((content) => chunk({ content })).join('') +
          chunk({}, 'stop') +
          openAiChunk({ choices: [], usage: { prompt_tokens: 999, completion_tokens: 3 } }, 'c1') +
          'data: [DONE]\n\n',
      );
    },
  );

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

/** Reads SSE frames one at a time, as they arrive. */
function frames(body: ReadableStream<Uint8Array>): () => Promise<Frame | undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async () => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(raw)?.[1] ?? '';
        const data = JSON.parse(/^data: (.*)$/m.exec(raw)?.[1] ?? '{}') as Record<string, unknown>;
        return { event, data };
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

let claude: HeldUpstream;
let openai: HeldUpstream;
let sightline: TestSightline;

beforeAll(async () => {
  [claude, openai] = await Promise.all([startHeldAnthropic(), startHeldOpenAi()]);
  sightline = await startSightline(`
backends:
  claude: { type: anthropic, base_url: "${claude.url}", api_key: upstream-key }
  ollama: { type: openai-compatible, base_url: "${openai.url}/v1" }
models:
  - { id: qwen-vl, backend: ollama, upstream_model: "qwen2.5vl:7b" }
  - { id: "claude-opus-*", backend: claude }
`);
});

afterAll(async () => {
  await sightline?.stop();
  await Promise.all([claude?.close(), openai?.close()]);
});

const post = (body: object) =>
  fetch(`${sightline.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'sk-test',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify(body),
  });

const ask = (model: string, stream: boolean) => ({
  model,
  max_tokens: 200,
  stream,
  tools: [{ name: 'computer', description: 'Use the screen', input_schema: { type: 'object' } }],
  messages: [{ role: 'user', content: 'Open the menu, please.' }],
});

/** Reads the rest of the stream into frames. */
async function rest(next: () => Promise<Frame | undefined>): Promise<Frame[]> {
  const all: Frame[] = [];
  for (let frame = await next(); frame; frame = await next()) all.push(frame);
  return all;
}

const usageOf = (frame: Frame | undefined) =>
  ((frame?.data.message as Record<string, unknown> | undefined)?.usage ?? frame?.data.usage) as Record<
    string,
    unknown
  >;

describe('relay from an Anthropic upstream', () => {
  it('sends message_start once the upstream accepts, while its deltas are still held back', async () => {
    const response = await post(ask('claude-opus-4-7', true));
    expect(response.status).toBe(200);
    await claude.accepted();
    const next = frames(response.body!);
    // the upstream has sent nothing but its message_start: Sightline's message_start is already here
    const start = await next();
    expect(start?.event).toBe('message_start');
    expect(usageOf(start).input_tokens).toBe(UPSTREAM_INPUT_TOKENS);
    claude.release();
    const events = await rest(next);
    expect(events.map((frame) => frame.event)).toEqual([
      'content_block_start',
      'ping',
      ...TEXT_PIECES.map(() => 'content_block_delta'),
      'content_block_stop',
      'content_block_start',
      ...TOOL_PIECES.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // text blocks start as the API starts them
    expect(events[0]!.data.content_block).toEqual({ type: 'text', text: '', citations: null });
    // every upstream delta is its own event, in order, unmerged
    const deltas = events
      .filter((frame) => frame.event === 'content_block_delta')
      .map((frame) => frame.data.delta as Record<string, string>);
    expect(deltas.slice(0, 3).map((delta) => delta.text)).toEqual(TEXT_PIECES);
    expect(deltas.slice(3)).toEqual(
      TOOL_PIECES.map((partial_json) => ({ type: 'input_json_delta', partial_json })),
    );
    // one input count, the upstream's, in both places
    const delta = events.find((frame) => frame.event === 'message_delta');
    expect(usageOf(delta).input_tokens).toBe(UPSTREAM_INPUT_TOKENS);
    expect(usageOf(delta).output_tokens).toBe(9);
  });

  it('the SDK stream helper rebuilds the same message from the relayed pieces', async () => {
    const client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-test', maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-opus-4-7',
      max_tokens: 200,
      tools: [{ name: 'computer', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'Open the menu, please.' }],
    });
    const started = new Promise<number>((resolve) =>
      stream.once('streamEvent', (event) => {
        if (event.type === 'message_start') resolve(event.message.usage.input_tokens);
      }),
    );
    await claude.accepted();
    expect(await started).toBe(UPSTREAM_INPUT_TOKENS); // before any delta was released
    claude.release();
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: 'text', text: TEXT_PIECES.join(''), citations: null },
      {
        type: 'tool_use',
        id: 'toolu_01',
        name: 'computer',
        input: { action: 'left_click', coordinate: [700, 400] },
      },
    ]);
    expect(final.usage.input_tokens).toBe(UPSTREAM_INPUT_TOKENS);
  });

  it('a whole JSON message carries citations: null on text and the upstream input count', async () => {
    const pending = post(ask('claude-opus-4-7', false));
    await claude.accepted();
    claude.release();
    const message = (await (await pending).json()) as {
      content: unknown[];
      usage: { input_tokens: number };
    };
    expect(message.content[0]).toEqual({ type: 'text', text: TEXT_PIECES.join(''), citations: null });
    expect(message.usage.input_tokens).toBe(UPSTREAM_INPUT_TOKENS);
  });
});

describe('relay from an OpenAI-compatible upstream', () => {
  it('sends message_start on the upstream response headers; one input count (Sightline’s) in both', async () => {
    const response = await post({ ...ask('qwen-vl', true), tools: undefined });
    await openai.accepted();
    const next = frames(response.body!);
    const start = await next();
    expect(start?.event).toBe('message_start');
    openai.release();
    const events = await rest(next);
    const textDeltas = events.filter((frame) => frame.event === 'content_block_delta');
    expect(textDeltas.map((frame) => (frame.data.delta as { text: string }).text)).toEqual(TEXT_PIECES);
    const delta = events.find((frame) => frame.event === 'message_delta');
    // the upstream's prompt_tokens (999) follow another tokenizer: Sightline's own count, in both
    expect(usageOf(delta).input_tokens).toBe(usageOf(start).input_tokens);
    expect(usageOf(start).input_tokens).not.toBe(999);
  });
});

describe('the local engine', () => {
  it('starts at once; message_start and message_delta report the same input count', async () => {
    const response = await post({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'Hello there.' }],
    });
    const events = await rest(frames(response.body!));
    expect(events[0]!.event).toBe('message_start');
    const delta = events.find((frame) => frame.event === 'message_delta');
    expect(usageOf(delta).input_tokens).toBe(usageOf(events[0]).input_tokens);
    const blockStart = events.find((frame) => frame.event === 'content_block_start');
    expect(blockStart?.data.content_block).toEqual({ type: 'text', text: '', citations: null });
  });
});
