// End-to-end tests of the Anthropic backend against a loopback upstream (node:http on 127.0.0.1)
// that speaks the real Messages SSE protocol: what the upstream received, and what the backend yielded.
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicBackendSettings,
  createAnthropicBackend,
} from '../../../../src/backends/anthropic/index.js';
import { normaliseMessagesRequest } from '../../../../src/backends/prompt/index.js';
import type { Backend, BackendEvent, BackendRequest, PreparedImage } from '../../../../src/backends/types.js';
import { ApiError, RequestCancelledError } from '../../../../src/errors/index.js';
import type { ImageBlockParam, ImageMediaType, MessagesRequest } from '../../../../src/wire/index.js';
import {
  type RecordingServer,
  startRecordingServer,
  type Responder as UpstreamResponder,
} from '../../../support/upstreams.js';

// ---------------------------------------------------------------------------------------------
// Loopback upstream (test/support/upstreams.ts): records each request, then a responder writes the
// Messages SSE bytes these tests shape themselves (split mid-character, CRLF, two message_deltas).

type Responder = UpstreamResponder<MessagesRequest>;
type LoopbackUpstream = RecordingServer<MessagesRequest>;

const startUpstream = (responder: Responder): Promise<LoopbackUpstream> =>
  startRecordingServer<MessagesRequest>(responder);

const sse = (event: string, payload: unknown, lineEnd = '\n') =>
  `event: ${event}${lineEnd}data: ${JSON.stringify(payload)}${lineEnd}${lineEnd}`;

function messageStartPayload(inputTokens: number) {
  return {
    type: 'message_start',
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-upstream',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      container: null,
      usage: {
        input_tokens: inputTokens,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  };
}

function messageDeltaPayload(stopReason: string, stopSequence: string | null, outputTokens: number) {
  return {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: null, container: null },
    usage: {
      output_tokens: outputTokens,
      input_tokens: 1234,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: null,
      output_tokens_details: null,
    },
  };
}

const textDeltaPayload = (text: string) => ({
  type: 'content_block_delta',
  index: 0,
  delta: { type: 'text_delta', text },
});

/** A full, real-shaped stream: start, block start, ping, deltas, block stop, two message_deltas, stop. */
function anthropicStream(texts: string[], lineEnd = '\n'): string {
  const frames = [
    sse('message_start', messageStartPayload(1234), lineEnd),
    sse(
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } },
      lineEnd,
    ),
    sse('ping', { type: 'ping' }, lineEnd),
    ...texts.map((text) => sse('content_block_delta', textDeltaPayload(text), lineEnd)),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }, lineEnd),
    sse('message_delta', messageDeltaPayload('end_turn', null, 30), lineEnd),
    sse('message_delta', messageDeltaPayload('end_turn', null, 57), lineEnd),
    sse('message_stop', { type: 'message_stop' }, lineEnd),
  ];
  return frames.join('');
}

/** Writes text in small byte slices (cutting through characters and CRLFs), yielding between them. */
async function writeInPieces(response: ServerResponse, text: string, pieceSize: number): Promise<void> {
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += pieceSize) {
    response.write(bytes.subarray(start, start + pieceSize));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function streamResponder(texts: string[], options: { lineEnd?: string; pieceSize?: number } = {}): Responder {
  return async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    await writeInPieces(response, anthropicStream(texts, options.lineEnd), options.pieceSize ?? 7);
    response.end();
  };
}

function jsonResponder(status: number, payload: unknown): Responder {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
  };
}

// ---------------------------------------------------------------------------------------------
// Prepared images (built with sharp, as the server's imaging stage would)

interface TestImage {
  label: string;
  original: PreparedImage['original'];
  view: PreparedImage['view'];
}

const pad28 = (value: number) => Math.ceil(value / 28) * 28;

async function buildImage(
  label: string,
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp',
): Promise<TestImage> {
  const mediaType = `image/${format}` as ImageMediaType;
  const original = await sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .toFormat(format)
    .toBuffer();
  const viewWidth = pad28(width);
  const viewHeight = pad28(height);
  const view = await sharp(original)
    .extend({ right: viewWidth - width, bottom: viewHeight - height, background: '#ffffff' })
    .png()
    .toBuffer();
  return {
    label,
    original: { bytes: original, mediaType, width, height },
    view: {
      data: view,
      mediaType: 'image/png',
      width: viewWidth,
      height: viewHeight,
      contentWidth: width,
      contentHeight: height,
    },
  };
}

let photo: TestImage; // 1920×1080 JPEG → 1932×1092 PNG view
let diagram: TestImage; // 800×600 PNG → 812×616
let screenshot: TestImage; // 640×480 WebP → 644×504

beforeAll(async () => {
  [photo, diagram, screenshot] = await Promise.all([
    buildImage('photo', 1920, 1080, 'jpeg'),
    buildImage('diagram', 800, 600, 'png'),
    buildImage('screenshot', 640, 480, 'webp'),
  ]);
});

/**
 * A request with a base64 photo (with cache_control and transformations), a url diagram in the first
 * user turn, and a file screenshot inside a tool_result of a later turn.
 */
function buildRequest(
  signal: AbortSignal = new AbortController().signal,
): BackendRequest & { body: MessagesRequest } {
  const photoBlock: ImageBlockParam = {
    type: 'image',
    source: { type: 'base64', media_type: 'image/jpeg', data: photo.original.bytes.toString('base64') },
    cache_control: { type: 'ephemeral' },
    transformations: { oversized_image: 'downsize' },
  };
  const diagramBlock: ImageBlockParam = {
    type: 'image',
    source: { type: 'url', url: 'https://images.example.com/diagram.png' },
  };
  const screenshotBlock: ImageBlockParam = {
    type: 'image',
    source: { type: 'file', file_id: 'file_011abc' },
  };
  const body: MessagesRequest = {
    model: 'sightline-vision',
    max_tokens: 256,
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: 'Compare these.' }, photoBlock, diagramBlock],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'screenshot', input: {} }] },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01',
            content: [{ type: 'text', text: 'here it is' }, screenshotBlock],
          },
        ],
      },
    ],
  };
  const prepared = (path: string, image: TestImage): PreparedImage => ({
    path,
    original: image.original,
    view: image.view,
    tokens: 1,
  });
  const images = [
    prepared('messages.0.content.1', photo),
    prepared('messages.0.content.2', diagram),
    prepared('messages.2.content.0.tool_result.content.1', screenshot),
  ];
  return {
    // the client's body, kept to compare with what the upstream received
    body,
    ...normaliseMessagesRequest(body, images),
    upstreamModel: 'claude-upstream',
    inputTokens: 5000,
    signal,
  };
}

interface ReceivedImages {
  photo: Record<string, unknown>;
  diagram: Record<string, unknown>;
  screenshot: Record<string, unknown>;
}

function receivedImages(body: MessagesRequest): ReceivedImages {
  const first = body.messages[0]!.content as Array<Record<string, unknown>>;
  const toolResult = (body.messages[2]!.content as Array<Record<string, unknown>>)[0]!;
  return {
    photo: first[1]!,
    diagram: first[2]!,
    screenshot: (toolResult.content as Array<Record<string, unknown>>)[1]!,
  };
}

function decodedBytes(block: Record<string, unknown>): Buffer {
  const source = block.source as { type: string; data: string };
  expect(source.type).toBe('base64');
  return Buffer.from(source.data, 'base64');
}

// ---------------------------------------------------------------------------------------------
// Helpers to run the backend

async function collect(
  iterable: AsyncIterable<BackendEvent>,
): Promise<{ events: BackendEvent[]; error: unknown }> {
  const events: BackendEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

const textOf = (events: BackendEvent[]) =>
  events.map((event) => (event.type === 'text_delta' ? event.text : '')).join('');

const openUpstreams: LoopbackUpstream[] = [];
const openBackends: Backend[] = [];

async function setup(
  responder: Responder,
  settings: Partial<AnthropicBackendSettings> = {},
): Promise<{ upstream: LoopbackUpstream; backend: Backend }> {
  const upstream = await startUpstream(responder);
  openUpstreams.push(upstream);
  const backend = createAnthropicBackend({ baseUrl: upstream.url, apiKey: 'sk-test-key', ...settings });
  openBackends.push(backend);
  return { upstream, backend };
}

afterEach(async () => {
  await Promise.all(openBackends.splice(0).map((backend) => backend.close?.()));
  await Promise.all(openUpstreams.splice(0).map((upstream) => upstream.close()));
});

afterAll(async () => {
  await Promise.all(openUpstreams.map((upstream) => upstream.close()));
});

// ---------------------------------------------------------------------------------------------

describe('createAnthropicBackend: requests and streaming', () => {
  it('sends the model views (pre-resized by default) and re-emits the upstream stream', async () => {
    const { upstream, backend } = await setup(streamResponder(['Hel', 'lo, ', 'wörld 👋', '!']));
    expect(backend.name).toBe('anthropic');
    const request = buildRequest();
    const promptBefore = JSON.stringify([request.prompt, request.settings]);

    const { events, error } = await collect(backend.generate(request));

    expect(error).toBeUndefined();
    expect(JSON.stringify([request.prompt, request.settings])).toBe(promptBefore);
    expect(upstream.requests).toHaveLength(1);
    const received = upstream.requests[0]!;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/v1/messages');
    expect(received.headers['x-api-key']).toBe('sk-test-key');
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.body.model).toBe('claude-upstream');
    expect(received.body.stream).toBe(true);
    expect(received.body.max_tokens).toBe(256);

    const images = receivedImages(received.body);
    for (const [block, image] of [
      [images.photo, photo],
      [images.diagram, diagram],
      [images.screenshot, screenshot],
    ] as const) {
      expect((block.source as { media_type: string }).media_type).toBe('image/png');
      const metadata = await sharp(decodedBytes(block)).metadata();
      expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
        format: 'png',
        width: image.view.width,
        height: image.view.height,
      });
    }
    expect(images.photo.cache_control).toEqual({ type: 'ephemeral' });
    expect(images.photo).not.toHaveProperty('transformations');
    expect(received.body.messages[0]!.content).toMatchObject([
      { type: 'text', text: 'Compare these.' },
      {},
      {},
    ]);

    expect(textOf(events)).toBe('Hello, wörld 👋!');
    expect(events.filter((event) => event.type === 'end')).toHaveLength(1);
    expect(events.at(-1)).toEqual({
      type: 'end',
      stopReason: 'end_turn',
      stopSequence: null,
      usage: { inputTokens: 1234, outputTokens: 57 },
    });
  });

  it('with preResize off and inlineSources on, inlines url and file sources as the original bytes', async () => {
    const { upstream, backend } = await setup(streamResponder(['ok']), {
      preResize: false,
      inlineSources: true,
    });
    const request = buildRequest();
    const { error } = await collect(backend.generate(request));
    expect(error).toBeUndefined();

    const images = receivedImages(upstream.requests[0]!.body);
    expect(images.photo).toEqual(request.body.messages[0]!.content[1]);
    expect(decodedBytes(images.diagram).equals(diagram.original.bytes)).toBe(true);
    expect(images.diagram.source).toMatchObject({ media_type: 'image/png' });
    expect(decodedBytes(images.screenshot).equals(screenshot.original.bytes)).toBe(true);
    expect(images.screenshot.source).toMatchObject({ media_type: 'image/webp' });
  });

  it('with preResize off and inlineSources off, passes url sources on but still inlines file sources', async () => {
    const { upstream, backend } = await setup(streamResponder(['ok']), { preResize: false });
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toBeUndefined();

    const images = receivedImages(upstream.requests[0]!.body);
    expect(decodedBytes(images.photo).equals(photo.original.bytes)).toBe(true);
    expect(images.photo.transformations).toEqual({ oversized_image: 'downsize' });
    expect(images.diagram).toEqual({
      type: 'image',
      source: { type: 'url', url: 'https://images.example.com/diagram.png' },
    });
    expect(decodedBytes(images.screenshot).equals(screenshot.original.bytes)).toBe(true);
  });

  it('parses CRLF streams with comments, unknown events and 1-byte chunks', async () => {
    const { backend } = await setup(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      const text =
        ': keep-alive\r\n\r\n' +
        sse('brand_new_event', { type: 'brand_new_event' }, '\r\n') +
        anthropicStream(['α', 'β', 'γ'], '\r\n');
      await writeInPieces(response, text, 1);
      response.end();
    });
    const { events, error } = await collect(backend.generate(buildRequest()));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('αβγ');
    expect(events.at(-1)).toMatchObject({ type: 'end', usage: { inputTokens: 1234, outputTokens: 57 } });
  });

  it('reports stop sequences, and input tokens from message_delta when not null', async () => {
    const { backend } = await setup((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const finalDelta = messageDeltaPayload('stop_sequence', 'END', 9);
      finalDelta.usage.input_tokens = 1300;
      response.end(
        sse('message_start', messageStartPayload(1200)) +
          sse('content_block_delta', textDeltaPayload('x')) +
          sse('message_delta', finalDelta) +
          sse('message_stop', { type: 'message_stop' }),
      );
    });
    const { events } = await collect(backend.generate(buildRequest()));
    expect(events.at(-1)).toEqual({
      type: 'end',
      stopReason: 'stop_sequence',
      stopSequence: 'END',
      usage: { inputTokens: 1300, outputTokens: 9 },
    });
  });

  it('handles an upstream that answers with a JSON Message instead of a stream', async () => {
    const { backend } = await setup(
      jsonResponder(200, {
        id: 'msg_02',
        type: 'message',
        role: 'assistant',
        model: 'claude-upstream',
        content: [{ type: 'text', text: 'whole answer', citations: null }],
        stop_reason: 'max_tokens',
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 256 },
      }),
    );
    const { events, error } = await collect(backend.generate(buildRequest()));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'start', usage: { inputTokens: 40 } },
      { type: 'text_delta', text: 'whole answer' },
      {
        type: 'end',
        stopReason: 'max_tokens',
        stopSequence: null,
        usage: { inputTokens: 40, outputTokens: 256 },
      },
    ]);
  });

  it('honours name, anthropicVersion, extra headers and a base URL with a path prefix', async () => {
    const upstream = await startUpstream(streamResponder(['ok']));
    openUpstreams.push(upstream);
    const backend = createAnthropicBackend({
      name: 'bedrock-gateway',
      baseUrl: `${upstream.url}/gateway/`,
      anthropicVersion: 'bedrock-2023-05-31',
      headers: { 'Anthropic-Beta': 'files-api-2025-04-14', authorization: 'Bearer gateway-token' },
    });
    openBackends.push(backend);
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toBeUndefined();
    const received = upstream.requests[0]!;
    expect(backend.name).toBe('bedrock-gateway');
    expect(received.url).toBe('/gateway/v1/messages');
    expect(received.headers['anthropic-version']).toBe('bedrock-2023-05-31');
    expect(received.headers['anthropic-beta']).toBe('files-api-2025-04-14');
    expect(received.headers.authorization).toBe('Bearer gateway-token');
    expect(received.headers['x-api-key']).toBeUndefined();
  });

  it('rejects invalid settings on creation', () => {
    expect(() => createAnthropicBackend({ baseUrl: 'not a url' })).toThrow(
      /baseUrl must be an http\(s\) URL/,
    );
    expect(() => createAnthropicBackend({ baseUrl: 'ftp://127.0.0.1' })).toThrow(TypeError);
    expect(() => createAnthropicBackend({ baseUrl: 'http://127.0.0.1', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('createAnthropicBackend: errors', () => {
  it('relays a 400 error envelope with the upstream status, type and message', async () => {
    const { backend } = await setup(
      jsonResponder(400, {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: 'messages.0.content.1.image.source.base64: bad image',
        },
        request_id: 'req_01',
      }),
    );
    const { events, error } = await collect(backend.generate(buildRequest()));
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: 'messages.0.content.1.image.source.base64: bad image',
    });
  });

  it('relays 529 overloaded', async () => {
    const { backend } = await setup(
      jsonResponder(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error', message: 'Overloaded' });
  });

  it('maps a non-envelope error body by status', async () => {
    const { backend } = await setup((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>bad gateway</html>');
    });
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toMatchObject({
      status: 502,
      type: 'api_error',
      message: /anthropic: upstream answered HTTP 502/,
    });
  });

  it('yields the deltas before an in-band error event, then throws overloaded_error', async () => {
    const { backend } = await setup(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      await writeInPieces(
        response,
        sse('message_start', messageStartPayload(10)) +
          sse('content_block_delta', textDeltaPayload('par')) +
          sse('content_block_delta', textDeltaPayload('tial')) +
          sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
        5,
      );
      response.end();
    });
    const { events, error } = await collect(backend.generate(buildRequest()));
    expect(events).toEqual([
      { type: 'start', usage: { inputTokens: 10, outputTokens: 1 } },
      { type: 'text_delta', text: 'par' },
      { type: 'text_delta', text: 'tial' },
    ]);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error', message: 'Overloaded' });
  });

  it('reports a closed port as 500 api_error "upstream unreachable"', async () => {
    const upstream = await startUpstream(streamResponder([]));
    await upstream.close();
    const backend = createAnthropicBackend({ name: 'gone', baseUrl: upstream.url });
    openBackends.push(backend);
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'gone: upstream unreachable (connection refused)',
    });
    expect((error as ApiError).cause).toBeInstanceOf(Error); // the detail, for the operator's logs
  });

  it('never quotes URL credentials or the upstream address in a network error', async () => {
    const backend = createAnthropicBackend({ name: 'gone', baseUrl: 'http://user:s3cret@127.0.0.1:9' });
    openBackends.push(backend);
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: /^gone: upstream unreachable \(/,
    });
    expect((error as ApiError).message).not.toContain('s3cret');
    expect((error as ApiError).message).not.toContain('127.0.0.1');
  });

  it.each([401, 403])(
    'maps an upstream %i (the operator key) to 500 api_error without the upstream message',
    async (status) => {
      const { backend } = await setup(
        jsonResponder(status, {
          type: 'error',
          error: { type: 'authentication_error', message: 'invalid x-api-key sk-ant-api03-Ab12****wxYZ' },
        }),
      );
      const { error } = await collect(backend.generate(buildRequest()));
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 500,
        type: 'api_error',
        message: `anthropic: the upstream refused Sightline's credentials (HTTP ${status})`,
      });
    },
  );

  it('reports an upstream that never answers as unreachable after timeoutMs', async () => {
    const { backend } = await setup(() => {}, { timeoutMs: 300 });
    const { error } = await collect(backend.generate(buildRequest()));
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'anthropic: upstream unreachable (timed out)',
    });
  });

  it('reports a stream that stalls for timeoutMs as an interrupted stream', async () => {
    const { backend } = await setup(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(
          sse('message_start', messageStartPayload(1)) + sse('content_block_delta', textDeltaPayload('a')),
        );
      },
      { timeoutMs: 300 },
    );
    const { events, error } = await collect(backend.generate(buildRequest()));
    expect(events.slice(1)).toEqual([{ type: 'text_delta', text: 'a' }]);
    expect(error).toMatchObject({ status: 500, type: 'api_error', message: /upstream stream interrupted/ });
  });

  it('honours request.signal: aborting mid-stream ends the iterator and the upstream connection', async () => {
    const { upstream, backend } = await setup((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        sse('message_start', messageStartPayload(1)) + sse('content_block_delta', textDeltaPayload('a')),
      );
    });
    const controller = new AbortController();
    const events: BackendEvent[] = [];
    let caught: unknown;
    try {
      for await (const event of backend.generate(buildRequest(controller.signal))) {
        events.push(event);
        if (event.type === 'text_delta') controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(events.slice(1)).toEqual([{ type: 'text_delta', text: 'a' }]);
    expect(caught).toBeInstanceOf(RequestCancelledError);
    await upstream.responsesClosed[0];
  });

  it('releases the upstream connection when the consumer stops early', async () => {
    const { upstream, backend } = await setup((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        sse('message_start', messageStartPayload(1)) + sse('content_block_delta', textDeltaPayload('a')),
      );
    });
    for await (const event of backend.generate(buildRequest())) {
      expect(event).toEqual({ type: 'start', usage: { inputTokens: 1, outputTokens: 1 } });
      break;
    }
    await upstream.responsesClosed[0];
  });
});
