// End-to-end tests of createOpenAiCompatibleBackend against a loopback server that speaks the real
// OpenAI chat-completions protocol (streaming SSE, JSON, errors); asserts what the upstream received.
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenAiCompatibleBackend,
  type OpenAiCompatibleSettings,
} from '../../../../src/backends/openai-compatible/index.js';
import { normaliseMessagesRequest } from '../../../../src/backends/prompt/index.js';
import type { Backend, BackendEvent, BackendRequest, PreparedImage } from '../../../../src/backends/types.js';
import { ApiError, RequestCancelledError } from '../../../../src/errors/index.js';
import type { ImageBlockParam, ImageMediaType, MessagesRequest } from '../../../../src/wire/index.js';
import { type RecordingServer, type Responder, startRecordingServer } from '../../../support/upstreams.js';

const openUpstreams = new Set<RecordingServer>();
const openBackends = new Set<Backend>();

/** A loopback upstream (test/support/upstreams.ts) recording each request; `respond` writes the answer. */
async function startUpstream(respond: Responder) {
  const upstream = await startRecordingServer(respond);
  openUpstreams.add(upstream);
  return {
    baseUrl: `${upstream.url}/v1`,
    received: upstream.requests,
    responsesClosed: upstream.responsesClosed,
    close: () => closeUpstream(upstream),
  };
}

async function closeUpstream(upstream: RecordingServer): Promise<void> {
  openUpstreams.delete(upstream);
  await upstream.close();
}

function backendFor(upstream: { baseUrl: string }, extra: Partial<OpenAiCompatibleSettings> = {}): Backend {
  const backend = createOpenAiCompatibleBackend({ name: 'loopback', baseUrl: upstream.baseUrl, ...extra });
  openBackends.add(backend);
  return backend;
}

afterEach(async () => {
  await Promise.all([...openBackends].map((backend) => backend.close?.()));
  openBackends.clear();
  await Promise.all([...openUpstreams].map(closeUpstream));
});

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'upstream-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** The usual OpenAI stream: role, content pieces, finish chunk, usage chunk, [DONE]. */
function openAiStream(pieces: string[], finishReason: string, usage: Record<string, number>): string {
  const events = [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((piece) => chunk({ content: piece })),
    chunk({}, finishReason),
    { id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage },
  ];
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`;
}

/** Writes the body in small byte pieces with pauses, so they reach the client split mid-line and mid-character. */
async function writeInPieces(response: ServerResponse, body: string, pieceLength: number): Promise<void> {
  const bytes = Buffer.from(body, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += pieceLength) {
    response.write(bytes.subarray(offset, offset + pieceLength));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  response.end();
}

function streamHeaders(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
}

async function collect(events: AsyncIterable<BackendEvent>): Promise<BackendEvent[]> {
  const collected: BackendEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

function textOf(events: BackendEvent[]): string {
  return events.map((event) => (event.type === 'text_delta' ? event.text : '')).join('');
}

function request(body: MessagesRequest, images: PreparedImage[] = []): BackendRequest {
  return {
    ...normaliseMessagesRequest(body, images),
    upstreamModel: 'upstream-model',
    inputTokens: 10,
    signal: new AbortController().signal,
  };
}

const simpleBody: MessagesRequest = {
  model: 'client-model',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Hi' }],
};

type SharpImage = ReturnType<typeof sharp>;

/** A PreparedImage built for real: an original picture and its padded model view, both encoded by sharp. */
async function buildPreparedImage(
  original: { width: number; height: number },
  view: { width: number; height: number; contentWidth: number; contentHeight: number },
  mediaType: ImageMediaType,
  colour: { r: number; g: number; b: number },
): Promise<{ block: ImageBlockParam; prepared: PreparedImage }> {
  const encode = (image: SharpImage): SharpImage => (mediaType === 'image/jpeg' ? image.jpeg() : image.png());
  const originalBytes = await encode(
    sharp({ create: { width: original.width, height: original.height, channels: 3, background: colour } }),
  ).toBuffer();
  const viewBytes = await encode(
    sharp({
      create: { width: view.contentWidth, height: view.contentHeight, channels: 3, background: colour },
    }).extend({
      right: view.width - view.contentWidth,
      bottom: view.height - view.contentHeight,
      background: { r: 0, g: 0, b: 0 },
    }),
  ).toBuffer();
  const block: ImageBlockParam = {
    type: 'image',
    source: { type: 'base64', media_type: mediaType, data: originalBytes.toString('base64') },
  };
  return {
    block,
    prepared: {
      path: 'messages.0.content.0',
      original: { bytes: originalBytes, mediaType, width: original.width, height: original.height },
      view: { data: viewBytes, mediaType, ...view },
      tokens: Math.round((view.contentWidth * view.contentHeight) / 750),
    },
  };
}

/** The prepared image, for its block at `path`. */
const at = (path: string, image: { prepared: PreparedImage }): PreparedImage => ({ ...image.prepared, path });

/** Decodes an `image_url` data URI the upstream received. */
async function decodeDataUri(
  url: string,
): Promise<{ mediaType: string; bytes: Buffer; width: number; height: number }> {
  const match = /^data:([^;]+);base64,(.*)$/s.exec(url);
  if (match === null) throw new Error(`not a base64 data URI: ${url.slice(0, 40)}`);
  const bytes = Buffer.from(match[2] ?? '', 'base64');
  const metadata = await sharp(bytes).metadata();
  return { mediaType: match[1] ?? '', bytes, width: metadata.width ?? 0, height: metadata.height ?? 0 };
}

function imageUrlsOf(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  return content
    .filter((part: { type?: string }) => part.type === 'image_url')
    .map((part: { image_url: { url: string } }) => part.image_url.url);
}

describe('createOpenAiCompatibleBackend against a loopback OpenAI upstream', () => {
  let wide: { block: ImageBlockParam; prepared: PreparedImage };
  let photo: { block: ImageBlockParam; prepared: PreparedImage };

  beforeAll(async () => {
    wide = await buildPreparedImage(
      { width: 1920, height: 1080 },
      { width: 1456, height: 840, contentWidth: 1456, contentHeight: 819 },
      'image/png',
      { r: 200, g: 40, b: 40 },
    );
    photo = await buildPreparedImage(
      { width: 1000, height: 750 },
      { width: 784, height: 588, contentWidth: 784, contentHeight: 588 },
      'image/jpeg',
      { r: 30, g: 90, b: 200 },
    );
  });

  it('sends system, turns, model-view images in order, max_tokens and stop; yields deltas and one end', async () => {
    const upstreamText = ['The first ', 'is red, ', 'the second is blue.'];
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(openAiStream(upstreamText, 'stop', { prompt_tokens: 2345, completion_tokens: 11 }));
    });
    const backend = backendFor(upstream, { apiKey: 'sk-test', headers: { 'X-Extra': 'yes' } });
    const body: MessagesRequest = {
      model: 'client-model',
      max_tokens: 300,
      system: [{ type: 'text', text: 'You describe images.' }],
      stop_sequences: ['###'],
      temperature: 0.2,
      top_p: 0.95,
      top_k: 5,
      metadata: { user_id: 'someone' },
      messages: [
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi! Send pictures.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'First:' },
            photo.block,
            { type: 'text', text: 'Second:' },
            wide.block,
            { type: 'text', text: 'Which colours?' },
          ],
        },
      ],
    };
    // Listed in the reverse of block order: the upstream must still get block order.
    const images = [at('messages.2.content.3', wide), at('messages.2.content.1', photo)];

    const events = await collect(backend.generate(request(body, images)));

    expect(upstream.received).toHaveLength(1);
    const [received] = upstream.received;
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/v1/chat/completions');
    expect(received?.headers.authorization).toBe('Bearer sk-test');
    expect(received?.headers['x-extra']).toBe('yes');
    expect(received?.headers['content-type']).toBe('application/json');
    const sent = received?.body ?? {};
    expect(sent).toMatchObject({
      model: 'upstream-model',
      max_tokens: 300,
      stop: ['###'],
      temperature: 0.2,
      top_p: 0.95,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(sent).not.toHaveProperty('top_k');
    expect(sent).not.toHaveProperty('metadata');
    expect(sent).not.toHaveProperty('system');
    const messages = sent.messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0]?.content).toBe('You describe images.');
    expect(messages[1]?.content).toBe('Hello');
    expect(messages[2]?.content).toBe('Hi! Send pictures.');
    const lastContent = messages[3]?.content as Array<{ type: string; text?: string }>;
    expect(lastContent.map((part) => part.type)).toEqual(['text', 'image_url', 'text', 'image_url', 'text']);
    expect(lastContent.filter((part) => part.type === 'text').map((part) => part.text)).toEqual([
      'First:',
      'Second:',
      'Which colours?',
    ]);
    const [firstImage, secondImage] = await Promise.all(imageUrlsOf(lastContent).map(decodeDataUri));
    expect(firstImage).toMatchObject({ mediaType: 'image/jpeg', width: 784, height: 588 });
    expect(firstImage?.bytes.equals(photo.prepared.view.data)).toBe(true);
    expect(secondImage).toMatchObject({
      mediaType: 'image/png',
      width: wide.prepared.view.width,
      height: wide.prepared.view.height,
    });
    expect(secondImage?.bytes.equals(wide.prepared.view.data)).toBe(true);

    expect(events.filter((event) => event.type === 'text_delta')).toHaveLength(upstreamText.length);
    expect(textOf(events)).toBe(upstreamText.join(''));
    expect(events.filter((event) => event.type === 'end')).toHaveLength(1);
    expect(events.at(-1)).toEqual({
      type: 'end',
      stopReason: 'end_turn',
      stopSequence: null,
      usage: { inputTokens: 2345, outputTokens: 11 },
    });
  });

  it('sends images returned by a tool right after the tool message, as model views', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(openAiStream(['A red screen.'], 'stop', { prompt_tokens: 1600, completion_tokens: 4 }));
    });
    const body: MessagesRequest = {
      model: 'client-model',
      max_tokens: 50,
      messages: [
        { role: 'user', content: 'Look at the screen.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'text', text: 'Done.' }, wide.block],
            },
            { type: 'text', text: 'Describe it.' },
          ],
        },
      ],
    };
    await collect(
      backendFor(upstream).generate(request(body, [at('messages.2.content.0.tool_result.content.1', wide)])),
    );

    const messages = upstream.received[0]?.body.messages as Array<Record<string, unknown>>;
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user', 'user']);
    expect(messages[1]?.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } },
    ]);
    expect(messages[2]).toEqual({ role: 'tool', tool_call_id: 'toolu_1', content: 'Done.' });
    const toolImagesContent = (messages[3]?.content ?? []) as Array<{ text?: string }>;
    expect(toolImagesContent[0]?.text).toBe('Images returned by tool toolu_1:');
    const [image] = await Promise.all(imageUrlsOf(messages[3]?.content).map(decodeDataUri));
    expect(image).toMatchObject({ width: 1456, height: 840 });
    expect(messages[4]).toEqual({ role: 'user', content: 'Describe it.' });
  });

  it('relays tool use: sends tools, yields text, then whole tool calls with parsed input, then a tool_use end', async () => {
    const clickArguments = JSON.stringify({ x: 640, y: 400, label: 'Envoyer ✉️' });
    const typeArguments = JSON.stringify({ text: 'hello world' });
    const pieces = (text: string, size: number): string[] =>
      Array.from({ length: Math.ceil(text.length / size) }, (_unused, index) =>
        text.slice(index * size, index * size + size),
      );
    const clickPieces = pieces(clickArguments, 4);
    const typePieces = pieces(typeArguments, 5);
    const upstream = await startUpstream(async (_request, response) => {
      streamHeaders(response);
      const events: Array<Record<string, unknown>> = [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'I will click ' }),
        chunk({ content: 'Send.' }),
        chunk({
          tool_calls: [
            { index: 0, id: 'call_click', type: 'function', function: { name: 'click', arguments: '' } },
          ],
        }),
        chunk({
          tool_calls: [
            { index: 1, id: 'call_type', type: 'function', function: { name: 'type_text', arguments: '' } },
          ],
        }),
      ];
      // The two calls' arguments arrive interleaved, a few characters at a time.
      for (let step = 0; step < Math.max(clickPieces.length, typePieces.length); step += 1) {
        const clickPiece = clickPieces[step];
        const typePiece = typePieces[step];
        if (typePiece !== undefined) {
          events.push(chunk({ tool_calls: [{ index: 1, function: { arguments: typePiece } }] }));
        }
        if (clickPiece !== undefined) {
          events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: clickPiece } }] }));
        }
      }
      events.push(chunk({}, 'tool_calls'));
      events.push({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        choices: [],
        usage: { prompt_tokens: 1700, completion_tokens: 42 },
      });
      const body = `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`;
      await writeInPieces(response, body, 97);
    });
    const clickSchema = {
      type: 'object',
      properties: { x: { type: 'integer' }, y: { type: 'integer' }, label: { type: 'string' } },
      required: ['x', 'y'],
    };
    const typeSchema = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };
    const body: MessagesRequest = {
      model: 'client-model',
      max_tokens: 400,
      tools: [
        { name: 'click', description: 'Clicks at a point of the screen.', input_schema: clickSchema },
        { type: 'custom', name: 'type_text', input_schema: typeSchema },
      ],
      tool_choice: { type: 'auto' },
      messages: [
        { role: 'user', content: 'Send the message.' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_shot', name: 'screenshot', input: {} }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_shot', content: [wide.block] }],
        },
      ],
    };

    const events = await collect(
      backendFor(upstream).generate(request(body, [at('messages.2.content.0.tool_result.content.0', wide)])),
    );

    const sent = upstream.received[0]?.body ?? {};
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: { name: 'click', description: 'Clicks at a point of the screen.', parameters: clickSchema },
      },
      { type: 'function', function: { name: 'type_text', parameters: typeSchema } },
    ]);
    expect(sent.tool_choice).toBe('auto');
    expect(sent).not.toHaveProperty('parallel_tool_calls');
    const messages = sent.messages as Array<Record<string, unknown>>;
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(imageUrlsOf(messages[3]?.content)).toHaveLength(1);

    expect(events).toEqual([
      { type: 'start' },
      { type: 'text_delta', text: 'I will click ' },
      { type: 'text_delta', text: 'Send.' },
      { type: 'tool_use', id: 'call_click', name: 'click', input: { x: 640, y: 400, label: 'Envoyer ✉️' } },
      { type: 'tool_use', id: 'call_type', name: 'type_text', input: { text: 'hello world' } },
      {
        type: 'end',
        stopReason: 'tool_use',
        stopSequence: null,
        usage: { inputTokens: 1700, outputTokens: 42 },
      },
    ]);
  });

  it('ends with tool_use when a server (older Ollama) sends a whole call without id and finishes with stop', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(
        [
          chunk({
            role: 'assistant',
            content: '',
            tool_calls: [{ function: { name: 'screenshot', arguments: { scale: 0.5 } } }],
          }),
          chunk({}, 'stop'),
        ]
          .map((event) => `data: ${JSON.stringify(event)}\n\n`)
          .join('') + 'data: [DONE]\n\n',
      );
    });
    const events = await collect(
      backendFor(upstream).generate(
        request({
          ...simpleBody,
          tools: [{ name: 'screenshot', input_schema: { type: 'object' } }],
          tool_choice: { type: 'any', disable_parallel_tool_use: true },
        }),
      ),
    );
    expect(upstream.received[0]?.body).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false });
    expect(events).toEqual([
      { type: 'start' },
      {
        type: 'tool_use',
        id: expect.stringMatching(/^toolu_[0-9A-Za-z]{24}$/),
        name: 'screenshot',
        input: { scale: 0.5 },
      },
      { type: 'end', stopReason: 'tool_use', stopSequence: null, usage: {} },
    ]);
  });

  it('throws a 500 api_error, after the text before it, for tool call arguments that are not JSON', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(
        [
          chunk({ content: 'Clicking.' }),
          chunk({
            tool_calls: [{ index: 0, id: 'call_1', function: { name: 'click', arguments: '{"x": 1' } }],
          }),
          chunk({}, 'tool_calls'),
        ]
          .map((event) => `data: ${JSON.stringify(event)}\n\n`)
          .join('') + 'data: [DONE]\n\n',
      );
    });
    const seen: BackendEvent[] = [];
    const failure = (async () => {
      for await (const event of backendFor(upstream).generate(request(simpleBody))) seen.push(event);
    })();
    await expect(failure).rejects.toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'loopback: the upstream sent tool call arguments that are not JSON',
    });
    expect(seen).toEqual([{ type: 'start' }, { type: 'text_delta', text: 'Clicking.' }]);
  });

  it('refuses a server tool with a 400 before calling the upstream', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(openAiStream(['never'], 'stop', {}));
    });
    const failure = collect(
      backendFor(upstream).generate(
        request({
          ...simpleBody,
          tools: [{ type: 'bash_20250124', name: 'bash' }],
        }),
      ),
    );
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: 'loopback: tool type bash_20250124 is not supported by this backend',
    });
    expect(upstream.received).toEqual([]);
  });

  it('reads a stream split at arbitrary byte boundaries, with CRLF, comments and multi-byte text', async () => {
    const pieces = ['Ça ', 'va ', '👍 très ', 'bien'];
    const upstream = await startUpstream(async (_request, response) => {
      streamHeaders(response);
      const body = `: ping\r\n\r\n${openAiStream(pieces, 'length', { prompt_tokens: 7 }).replaceAll('\n', '\r\n')}`;
      await writeInPieces(response, body, 3);
    });
    const events = await collect(backendFor(upstream).generate(request(simpleBody)));
    expect(textOf(events)).toBe(pieces.join(''));
    expect(events.at(-1)).toEqual({
      type: 'end',
      stopReason: 'max_tokens',
      stopSequence: null,
      usage: { inputTokens: 7 },
    });
  });

  it('answers max_tokens 0 itself (OpenAI and vLLM reject it): an empty max_tokens end, nothing sent', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(openAiStream(['never'], 'stop', { prompt_tokens: 1, completion_tokens: 1 }));
    });
    const events = await collect(backendFor(upstream).generate(request({ ...simpleBody, max_tokens: 0 })));
    expect(events).toEqual([
      { type: 'start' },
      { type: 'end', stopReason: 'max_tokens', stopSequence: null, usage: { outputTokens: 0 } },
    ]);
    expect(upstream.received).toEqual([]);
  });

  it('handles an upstream that answers with non-streaming JSON', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-2',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'Whole answer.' },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 },
        }),
      );
    });
    const events = await collect(backendFor(upstream).generate(request(simpleBody)));
    expect(events).toEqual([
      { type: 'start' },
      { type: 'text_delta', text: 'Whole answer.' },
      {
        type: 'end',
        stopReason: 'tool_use',
        stopSequence: null,
        usage: { inputTokens: 20, outputTokens: 3 },
      },
    ]);
  });

  it('yields the tool calls of a non-streaming JSON answer after its text', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-3',
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: 'Two lookups.',
                tool_calls: [
                  { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"a"}' } },
                  { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"q":"b"}' } },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 30, completion_tokens: 9 },
        }),
      );
    });
    const events = await collect(backendFor(upstream).generate(request(simpleBody)));
    expect(events).toEqual([
      { type: 'start' },
      { type: 'text_delta', text: 'Two lookups.' },
      { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'a' } },
      { type: 'tool_use', id: 'call_2', name: 'lookup', input: { q: 'b' } },
      {
        type: 'end',
        stopReason: 'tool_use',
        stopSequence: null,
        usage: { inputTokens: 30, outputTokens: 9 },
      },
    ]);
  });

  it('throws an ApiError for an error payload in the middle of the stream, after the text before it', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.write(`data: ${JSON.stringify(chunk({ content: 'Partial' }))}\n\n`);
      response.end(
        `data: ${JSON.stringify({ error: { message: 'CUDA out of memory', type: 'server_error' } })}\n\n`,
      );
    });
    const seen: BackendEvent[] = [];
    const failure = (async () => {
      for await (const event of backendFor(upstream).generate(request(simpleBody))) seen.push(event);
    })();
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'loopback: CUDA out of memory',
    });
    expect(seen).toEqual([{ type: 'start' }, { type: 'text_delta', text: 'Partial' }]);
  });

  it('throws an ApiError for a named `event: error` carrying an OpenAI error body', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(
        `event: error\ndata: ${JSON.stringify({ error: { message: 'Slow down', code: 429 } })}\n\n`,
      );
    });
    await expect(collect(backendFor(upstream).generate(request(simpleBody)))).rejects.toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: 'loopback: Slow down',
    });
  });

  it('throws when the stream stops before finishing', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.end(`data: ${JSON.stringify(chunk({ content: 'Cut' }))}\n\n`);
    });
    await expect(collect(backendFor(upstream).generate(request(simpleBody)))).rejects.toMatchObject({
      status: 500,
      type: 'api_error',
    });
  });

  it.each([
    [
      400,
      '{"error":{"message":"bad","type":"invalid_request_error"}}',
      400,
      'invalid_request_error',
      'loopback: bad',
    ],
    [
      422,
      '{"detail":"max_tokens too large"}',
      422,
      'invalid_request_error',
      'loopback: max_tokens too large',
    ],
    [
      401,
      '{"error":{"message":"Incorrect API key provided: sk-proj-Ab12****wxYZ","type":"invalid_request_error"}}',
      500,
      'api_error',
      "loopback: the upstream refused Sightline's credentials (HTTP 401)",
    ],
    [
      403,
      '{"error":{"message":"forbidden"}}',
      500,
      'api_error',
      "loopback: the upstream refused Sightline's credentials (HTTP 403)",
    ],
    [
      404,
      '{"error":"model \\"llava\\" not found, try pulling it first"}',
      404,
      'not_found_error',
      'loopback: model "llava" not found, try pulling it first',
    ],
    [413, 'Payload Too Large', 413, 'request_too_large', 'loopback: Payload Too Large'],
    [
      429,
      '{"error":{"message":"Rate limit reached"}}',
      429,
      'rate_limit_error',
      'loopback: Rate limit reached',
    ],
    [503, '{"error":{"message":"Server is busy"}}', 503, 'api_error', 'loopback: Server is busy'],
    [500, 'Internal Server Error', 500, 'api_error', 'loopback: Internal Server Error'],
  ] as const)(
    'maps an upstream HTTP %i (body %s) to the mapped status and type',
    async (upstreamStatus, upstreamBody, status, type, message) => {
      const upstream = await startUpstream((_request, response) => {
        const json = upstreamBody.startsWith('{');
        response.writeHead(upstreamStatus, { 'content-type': json ? 'application/json' : 'text/plain' });
        response.end(upstreamBody);
      });
      const failure = collect(backendFor(upstream).generate(request(simpleBody)));
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status, type, message });
    },
  );

  it('maps an upstream that is down (closed port) to 500 api_error', async () => {
    const upstream = await startUpstream(() => undefined);
    await upstream.close();
    const failure = collect(backendFor(upstream).generate(request(simpleBody)));
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'loopback: upstream unreachable (connection refused)',
    });
  });

  it('never quotes URL credentials or the upstream address in a network error', async () => {
    const backend = createOpenAiCompatibleBackend({
      name: 'loopback',
      baseUrl: 'http://user:s3cret@127.0.0.1:9/v1',
    });
    openBackends.add(backend);
    const error = await collect(backend.generate(request(simpleBody))).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: expect.stringMatching(/^loopback: upstream unreachable \(/),
    });
    expect((error as ApiError).message).not.toContain('s3cret');
    expect((error as ApiError).message).not.toContain('127.0.0.1');
  });

  it('maps an upstream that never answers to 500 api_error after timeoutMs', async () => {
    const upstream = await startUpstream(() => undefined);
    const started = Date.now();
    await expect(
      collect(backendFor(upstream, { timeoutMs: 300 }).generate(request(simpleBody))),
    ).rejects.toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'loopback: upstream unreachable (timed out)',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('aborts the upstream request when the request signal aborts', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.write(`data: ${JSON.stringify(chunk({ content: 'Working' }))}\n\n`);
      // Never ends: only the abort can finish this request.
    });
    const controller = new AbortController();
    const iterator = backendFor(upstream)
      .generate({ ...request(simpleBody), signal: controller.signal })
      [Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'start' } });
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'text_delta', text: 'Working' } });
    const pending = iterator.next();
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RequestCancelledError);
    await upstream.responsesClosed[0];
  });

  it('cancels the upstream body when the consumer stops early', async () => {
    const upstream = await startUpstream((_request, response) => {
      streamHeaders(response);
      response.write(`data: ${JSON.stringify(chunk({ content: 'First' }))}\n\n`);
    });
    for await (const event of backendFor(upstream).generate(request(simpleBody))) {
      if (event.type === 'start') continue;
      expect(event).toEqual({ type: 'text_delta', text: 'First' });
      break;
    }
    await upstream.responsesClosed[0];
  });
});

describe('createOpenAiCompatibleBackend settings', () => {
  it('rejects a base URL that is not http(s) and a non-positive timeout', () => {
    expect(() => createOpenAiCompatibleBackend({ baseUrl: 'not a url' })).toThrow(TypeError);
    expect(() => createOpenAiCompatibleBackend({ baseUrl: 'file:///tmp' })).toThrow(TypeError);
    expect(() => createOpenAiCompatibleBackend({ baseUrl: 'http://127.0.0.1/v1', timeoutMs: 0 })).toThrow(
      TypeError,
    );
  });

  it('is named after settings.name, defaulting to openai-compatible', async () => {
    const named = createOpenAiCompatibleBackend({ name: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' });
    const unnamed = createOpenAiCompatibleBackend({ baseUrl: 'http://127.0.0.1:11434/v1/' });
    expect([named.name, unnamed.name]).toEqual(['ollama', 'openai-compatible']);
    await Promise.all([named.close?.(), unnamed.close?.()]);
  });
});

afterAll(async () => {
  await Promise.all([...openUpstreams].map(closeUpstream));
});
