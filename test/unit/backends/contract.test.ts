// The one contract every backend must pass (docs/architecture.md, "Backends"): the answer streamed in
// order (start first, text as it arrives, exactly one end, last), the request left as it was, a caller's
// abort as the one RequestCancelledError, a tool call round trip — and for the remote backends, against
// loopback upstreams speaking the real protocols, every upstream failure status mapped by the one policy.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicBackend } from '../../../src/backends/anthropic/index.js';
import { createLocalBackend } from '../../../src/backends/local/index.js';
import { createOpenAiCompatibleBackend } from '../../../src/backends/openai-compatible/index.js';
import { normaliseMessagesRequest } from '../../../src/backends/prompt/index.js';
import type { Backend, BackendEvent, BackendRequest, PreparedImage } from '../../../src/backends/types.js';
import { ApiError, errorResponseHeaders, RequestCancelledError } from '../../../src/errors/index.js';
import type { ImageBlockParam, MessageParam, MessagesRequest } from '../../../src/wire/index.js';
import {
  anthropicEvent,
  messageStart,
  openAiChunk,
  startAnthropicUpstream,
  startLoopbackServer,
  startOpenAiUpstream,
  type Upstream,
} from '../../support/upstreams.js';

const STOP_REASONS = [
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
];

type RemoteName = 'openai-compatible' | 'anthropic';
const REMOTE: RemoteName[] = ['openai-compatible', 'anthropic'];

let upstreams: Record<RemoteName, Upstream>;

/** A backend in front of `url` (the remote ones), with the defaults a configuration would give. */
function createBackend(name: string, url?: string): Backend {
  if (name === 'local') return createLocalBackend({ ocr: false });
  const baseUrl = url ?? upstreams[name as RemoteName].url;
  return name === 'anthropic'
    ? createAnthropicBackend({ baseUrl, apiKey: 'k' })
    : createOpenAiCompatibleBackend({ baseUrl: `${baseUrl}/v1` });
}

beforeAll(async () => {
  const [openai, anthropic] = await Promise.all([startOpenAiUpstream(), startAnthropicUpstream()]);
  upstreams = { 'openai-compatible': openai, anthropic };
});
afterAll(async () => {
  await Promise.all(Object.values(upstreams ?? {}).map((upstream) => upstream.close()));
});

async function preparedImage(path: string): Promise<{ block: ImageBlockParam; prepared: PreparedImage }> {
  const original = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } })
    .jpeg()
    .toBuffer();
  const view = await sharp(original).extend({ right: 8, bottom: 24, background: '#000' }).png().toBuffer();
  const block: ImageBlockParam = {
    type: 'image',
    source: { type: 'base64', media_type: 'image/jpeg', data: original.toString('base64') },
  };
  const prepared: PreparedImage = {
    path,
    original: { bytes: original, mediaType: 'image/jpeg', width: 300, height: 200 },
    view: {
      data: view,
      mediaType: 'image/png',
      width: 308,
      height: 224,
      contentWidth: 300,
      contentHeight: 200,
    },
    tokens: 80,
  };
  return { block, prepared };
}

function backendRequest(
  body: MessagesRequest,
  images: PreparedImage[],
  signal = new AbortController().signal,
): BackendRequest {
  return { ...normaliseMessagesRequest(body, images), upstreamModel: 'm', inputTokens: 100, signal };
}

async function requestWithImage(signal?: AbortSignal): Promise<BackendRequest> {
  const { block, prepared } = await preparedImage('messages.0.content.1');
  const body: MessagesRequest = {
    model: 'm',
    max_tokens: 500,
    system: 'Be brief.',
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: 'Image 1:' }, block, { type: 'text', text: 'What is this?' }],
      },
    ],
  };
  return backendRequest(body, [prepared], signal);
}

const textRequest = (signal?: AbortSignal): BackendRequest =>
  backendRequest({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }, [], signal);

async function collect(backend: Backend, request: BackendRequest): Promise<BackendEvent[]> {
  const events: BackendEvent[] = [];
  for await (const event of backend.generate(request)) events.push(event);
  return events;
}

/** The tool calls of an answer, whichever form the backend yields them in (whole, or streamed). */
function toolCallsOf(events: BackendEvent[]): Array<{ id: string; name: string; input: unknown }> {
  const calls: Array<{ id: string; name: string; input: unknown }> = [];
  let open: { id: string; name: string } | undefined;
  for (const event of events) {
    if (event.type === 'tool_use') calls.push({ id: event.id, name: event.name, input: event.input });
    if (event.type === 'tool_use_start') open = { id: event.id, name: event.name };
    if (event.type === 'tool_use_stop' && open !== undefined) {
      calls.push({ ...open, input: event.input });
      open = undefined;
    }
  }
  return calls;
}

async function withBackend<T>(backend: Backend, use: (backend: Backend) => Promise<T>): Promise<T> {
  try {
    return await use(backend);
  } finally {
    await backend.close?.();
  }
}

describe.each(['local', ...REMOTE])('backend contract: %s', (name) => {
  it('yields start first, non-empty text deltas, then exactly one end, last', () =>
    withBackend(createBackend(name), async (backend) => {
      const events = await collect(backend, await requestWithImage());
      expect(events[0]!.type).toBe('start');
      expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
      const ends = events.filter((event) => event.type === 'end');
      expect(ends).toHaveLength(1);
      expect(events.at(-1)!.type).toBe('end');
      const deltas = events.filter((event) => event.type === 'text_delta');
      expect(deltas.length).toBeGreaterThan(0);
      for (const delta of deltas) expect(delta.text.length).toBeGreaterThan(0);
      const end = ends[0] as Extract<BackendEvent, { type: 'end' }>;
      expect(STOP_REASONS).toContain(end.stopReason);
      if (end.usage.outputTokens !== undefined) expect(end.usage.outputTokens).toBeGreaterThanOrEqual(0);
    }));

  it('an already aborted request throws RequestCancelledError, before any event', () =>
    withBackend(createBackend(name), async (backend) => {
      const controller = new AbortController();
      controller.abort();
      const events: BackendEvent[] = [];
      const error = await (async () => {
        for await (const event of backend.generate(await requestWithImage(controller.signal)))
          events.push(event);
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RequestCancelledError);
      expect(error).toMatchObject({ status: 499 });
      expect(events).toEqual([]);
    }));

  it('an abort mid-answer throws RequestCancelledError, not an end', () =>
    withBackend(createBackend(name), async (backend) => {
      const controller = new AbortController();
      const events: BackendEvent[] = [];
      const error = await (async () => {
        for await (const event of backend.generate(await requestWithImage(controller.signal))) {
          events.push(event);
          if (event.type === 'start') controller.abort();
        }
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RequestCancelledError);
      expect(events[0]!.type).toBe('start');
      expect(events.some((event) => event.type === 'end')).toBe(false);
    }));

  it('does not change the request', () =>
    withBackend(createBackend(name), async (backend) => {
      const request = await requestWithImage();
      const snapshot = JSON.stringify([request.prompt, request.settings]);
      await collect(backend, request);
      expect(JSON.stringify([request.prompt, request.settings])).toBe(snapshot);
    }));
});

const WEATHER = {
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, day: { type: 'string' } } },
};

/** A second turn of a tool conversation: the model called the tool, the client answers it with a screenshot. */
async function toolRoundTrip(): Promise<BackendRequest> {
  const { block, prepared } = await preparedImage('messages.2.content.0.tool_result.content.1');
  const messages: MessageParam[] = [
    { role: 'user', content: 'What is the weather in Paris today, and tomorrow?' },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_1',
          content: [{ type: 'text', text: '18 °C, the forecast page:' }, block],
        },
      ],
    },
  ];
  return backendRequest({ model: 'm', max_tokens: 200, tools: [WEATHER], messages }, [prepared]);
}

describe.each(REMOTE)('tool use round trip: %s', (name) => {
  it("sends the tools, the call and its result in the upstream's protocol; yields the next call parsed, then a tool_use end", async () => {
    const upstream = upstreams[name];
    const next = { id: 'call_2', name: 'get_weather', input: { city: 'Paris', day: 'tomorrow' } };
    upstream.reply.toolUse = next;
    try {
      const events = await withBackend(createBackend(name), async (backend) =>
        collect(backend, await toolRoundTrip()),
      );
      expect(toolCallsOf(events)).toEqual([next]);
      const end = events.at(-1) as Extract<BackendEvent, { type: 'end' }>;
      expect(end).toMatchObject({ type: 'end', stopReason: 'tool_use' });
      const firstCall = events.findIndex(
        (event) => event.type === 'tool_use' || event.type === 'tool_use_start',
      );
      const lastText = events.findLastIndex((event) => event.type === 'text_delta');
      expect(lastText).toBeLessThan(firstCall); // the answer's order: its text, then its call

      const sent = upstream.requests.at(-1)!.body as Record<string, unknown>;
      if (name === 'anthropic') {
        expect(sent.tools).toEqual([WEATHER]);
        const turns = sent.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
        expect(turns[1]!.content[0]).toMatchObject({
          type: 'tool_use',
          id: 'toolu_1',
          input: { city: 'Paris' },
        });
        const result = turns[2]!.content[0] as {
          type: string;
          tool_use_id: string;
          content: Array<{ type: string }>;
        };
        expect(result).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1' });
        expect(result.content.map((part) => part.type)).toEqual(['text', 'image']);
      } else {
        expect(sent.tools).toEqual([
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'The weather in a city',
              parameters: WEATHER.input_schema,
            },
          },
        ]);
        const turns = sent.messages as Array<Record<string, unknown>>;
        expect(turns[1]).toMatchObject({
          role: 'assistant',
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        });
        expect(turns[2]).toMatchObject({ role: 'tool', tool_call_id: 'toolu_1' });
        expect(JSON.stringify(turns.slice(2))).toContain('data:image/png;base64,'); // the screenshot, as a model view
      }
    } finally {
      delete upstream.reply.toolUse;
    }
  });
});

describe('tool use round trip: local', () => {
  it('reads the image inside a tool result and answers in text, calling no tool', () =>
    withBackend(createBackend('local'), async (backend) => {
      const events = await collect(backend, await toolRoundTrip());
      expect(toolCallsOf(events)).toEqual([]);
      const text = events.flatMap((event) => (event.type === 'text_delta' ? [event.text] : [])).join('');
      expect(text).toContain('Image 1');
      expect(events.at(-1)).toMatchObject({ type: 'end', stopReason: 'end_turn' });
    }));
});

/** A remote upstream whose answer is held after its first text until `release()`: streaming, observed. */
async function startHeldUpstream(name: RemoteName) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const { url, close } = await startLoopbackServer((request, response) => {
    request.resume();
    request.on('end', async () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const [first, rest] = name === 'anthropic' ? anthropicAnswerInTwo() : openAiAnswerInTwo();
      response.write(first);
      await released;
      response.end(rest);
    });
  });
  return { url, release, close };
}

function anthropicAnswerInTwo(): [string, string] {
  const text = (value: string) =>
    anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: value } });
  return [
    messageStart('m', { input_tokens: 5, output_tokens: 1 }, 'msg_1') +
      anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
      text('first '),
    text('second') +
      anthropicEvent('content_block_stop', { index: 0 }) +
      anthropicEvent('message_delta', {
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 2 },
      }) +
      anthropicEvent('message_stop'),
  ];
}

function openAiAnswerInTwo(): [string, string] {
  const chunk = (delta: object, finish: string | null = null) =>
    openAiChunk({ choices: [{ index: 0, delta, finish_reason: finish }] }, 'c');
  return [
    chunk({ role: 'assistant', content: 'first ' }),
    `${chunk({ content: 'second' })}${chunk({}, 'stop')}data: [DONE]\n\n`,
  ];
}

describe.each(REMOTE)('streaming: %s', (name) => {
  it('yields start and the first text while the upstream is still answering, then the rest in order', async () => {
    const upstream = await startHeldUpstream(name);
    try {
      await withBackend(createBackend(name, upstream.url), async (backend) => {
        const iterator = backend.generate(textRequest())[Symbol.asyncIterator]();
        const first = (await iterator.next()).value as BackendEvent;
        expect(first.type).toBe('start');
        expect((await iterator.next()).value).toEqual({ type: 'text_delta', text: 'first ' });
        upstream.release(); // only now does the rest of the answer leave the upstream
        const rest: BackendEvent[] = [];
        for (let step = await iterator.next(); !step.done; step = await iterator.next())
          rest.push(step.value);
        expect(rest.map((event) => event.type)).toEqual(['text_delta', 'end']);
        expect(rest[0]).toEqual({ type: 'text_delta', text: 'second' });
        expect(rest[1]).toMatchObject({ stopReason: 'end_turn' });
      });
    } finally {
      upstream.release();
      await upstream.close();
    }
  });
});

/** An upstream error body in each protocol's own form. */
const errorBody = (name: RemoteName, type: string, message: string) =>
  name === 'anthropic'
    ? { type: 'error', error: { type, message } }
    : { error: { message, type, code: null } };

// The one upstream status policy (docs/operations.md, "Upstream errors"): the status is relayed where
// SDK 1.15 has a class for it, other 4xx become 400, a refusal of Sightline's key 500 not to be retried.
const STATUS_POLICY: Array<[upstream: number, upstreamType: string, status: number, type: string]> = [
  [400, 'invalid_request_error', 400, 'invalid_request_error'],
  [401, 'authentication_error', 500, 'api_error'],
  [403, 'permission_error', 500, 'api_error'],
  [404, 'not_found_error', 404, 'not_found_error'],
  [413, 'request_too_large', 413, 'request_too_large'],
  [418, 'teapot', 400, 'invalid_request_error'],
  [422, 'invalid_request_error', 422, 'invalid_request_error'],
  [429, 'rate_limit_error', 429, 'rate_limit_error'],
  [500, 'api_error', 500, 'api_error'],
  [502, 'api_error', 502, 'api_error'],
  [503, 'api_error', 503, 'api_error'],
  [504, 'timeout_error', 504, 'timeout_error'],
  [529, 'overloaded_error', 529, 'overloaded_error'],
];

describe.each(REMOTE)('upstream status policy: %s', (name) => {
  it.each(STATUS_POLICY)('upstream %i (%s) → %i %s', async (upstreamStatus, upstreamType, status, type) => {
    const upstream = upstreams[name];
    const hints = { 'retry-after': '3', 'x-should-retry': 'true' };
    upstream.reply.failWith = {
      status: upstreamStatus,
      body: errorBody(name, upstreamType, 'the upstream says no'),
      headers: hints,
    };
    try {
      const error = await withBackend(createBackend(name), (backend) =>
        collect(backend, textRequest()).catch((caught: unknown) => caught),
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, type });
      const { message } = error as ApiError;
      if (upstreamStatus === 401 || upstreamStatus === 403) {
        expect(message).not.toContain('the upstream says no'); // it could quote the operator's key
        expect(errorResponseHeaders(error)['x-should-retry']).toBe('false');
      } else {
        expect(message).toContain('the upstream says no');
        expect(errorResponseHeaders(error)).toEqual(hints); // the upstream's retry hints, passed on
      }
    } finally {
      delete upstream.reply.failWith;
    }
  });

  it('an unreachable upstream is a 500 api_error naming the backend', async () => {
    const error = await withBackend(createBackend(name, 'http://127.0.0.1:9'), (backend) =>
      collect(backend, textRequest()).catch((caught: unknown) => caught),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, type: 'api_error' });
    expect((error as ApiError).message).toMatch(
      new RegExp(`^${name}: upstream unreachable \\(connection refused\\)$`),
    );
  });
});
