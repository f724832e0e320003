// Loopback HTTP servers standing in for everything Sightline reaches over HTTP: upstreams speaking the
// real protocols (Anthropic Messages, OpenAI chat completions) that record what they receive, image hosts,
// and servers that misbehave on purpose. Test doubles live only here, at the process boundary; tests and
// benchmarks (bench/ imports the build, dist/test/support/) start every such server through this module.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  url: string;
  server: Server;
  /** drops open connections and stops listening */
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** a loopback address (default 127.0.0.1) */
  host?: string;
  /** how long an idle keep-alive connection stays open (Node's default: 5 s) */
  keepAliveTimeoutMs?: number;
}

/** Serves `handler` on an ephemeral port of a loopback address; the default handler never answers. */
export async function startLoopbackServer(
  handler: RequestListener = () => {},
  options: LoopbackOptions = {},
): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(handler);
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((done) => server.listen(0, host, done));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A loopback port with nothing listening on it (a server listened there and closed again). */
export async function closedPort(): Promise<number> {
  const { url, close } = await startLoopbackServer();
  await close();
  return Number(new URL(url).port);
}

/** An image host: serves `routes[path]` with its content type; unknown paths get 404. */
export function startContentServer(
  routes: Record<string, { body: Buffer; type: string }>,
  options: LoopbackOptions = {},
): Promise<LoopbackServer> {
  return startLoopbackServer((request, response) => {
    const route = routes[request.url ?? ''];
    if (!route) {
      response.writeHead(404).end('not found');
      return;
    }
    response
      .writeHead(200, { 'content-type': route.type, 'content-length': route.body.length })
      .end(route.body);
  }, options);
}

/** One Anthropic server-sent event: the event's name, and its data carrying the same `type`. */
export const anthropicEvent = (type: string, data: object = {}): string =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** The `message_start` event of an empty assistant message. */
export const messageStart = (model: unknown, usage: object, id = 'msg_up'): string =>
  anthropicEvent('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });

/** One OpenAI chat-completion chunk, as an SSE data line. */
export const openAiChunk = (
  fields: { model?: unknown; choices: object[]; usage?: object },
  id = 'chatcmpl-1',
) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', ...fields })}\n\n`;

export interface RecordedRequest<Body = Record<string, unknown>> {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Body;
}

export interface UpstreamOptions extends LoopbackOptions {
  /**
   * false: requests are neither kept nor parsed (`requests` stays empty; the answer names model "m"), for
   * benchmarks, which send thousands and want the upstream's own work out of their figures. Default true.
   */
  record?: boolean;
  /** milliseconds to wait before each answer (default 0: at once) */
  delayMs?: number;
  /** the answer's text, as `reply.text` (which can change it later) */
  text?: string;
}

export interface Upstream {
  url: string;
  requests: RecordedRequest[];
  /** the next answer (default text: "Hola desde el upstream." / "Hello from Claude upstream.") */
  reply: {
    text: string;
    failWith?: { status: number; body: unknown; headers?: Record<string, string> };
    /** one failure per request, taken in order before anything else (a flaky upstream) */
    failures?: Array<{ status: number; body: unknown; headers?: Record<string, string> }>;
    /** a tool call after the text */
    toolUse?: { id: string; name: string; input: unknown };
    /** input tokens reported (Anthropic upstream; default 4321); null reports none */
    inputTokens?: number | null;
    /** runs before each answer (Anthropic upstream): may look at the request and set `toolUse` */
    prepare?: (body: Record<string, unknown>) => Promise<void>;
  };
  close(): Promise<void>;
}

/** Answers one recorded request; an answer that rejects drops the connection. */
export type Responder<Body = Record<string, unknown>> = (
  request: RecordedRequest<Body>,
  response: ServerResponse,
) => void | Promise<void>;

export interface RecordingServer<Body = Record<string, unknown>> extends LoopbackServer {
  requests: RecordedRequest<Body>[];
  /** one per recorded request, in order: resolves when its response closes (ended, or the client hung up) */
  responsesClosed: Promise<void>[];
}

/**
 * A loopback server that reads each request whole (recording it and its JSON body unless told not to),
 * then lets `answer` respond: the fake upstreams below, and tests that write a protocol's bytes themselves.
 */
export async function startRecordingServer<Body = Record<string, unknown>>(
  answer: Responder<Body>,
  options: UpstreamOptions = {},
): Promise<RecordingServer<Body>> {
  const requests: RecordedRequest<Body>[] = [];
  const responsesClosed: Promise<void>[] = [];
  const record = options.record ?? true;
  const delayMs = options.delayMs ?? 0;
  const respond = (recorded: RecordedRequest<Body>, response: ServerResponse) => {
    try {
      void Promise.resolve(answer(recorded, response)).catch(() => response.destroy());
    } catch {
      response.destroy();
    }
  };
  const loopback = await startLoopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      if (record) chunks.push(chunk);
    });
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: (record ? JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') : { model: 'm' }) as Body,
      };
      if (record) {
        requests.push(recorded);
        responsesClosed.push(new Promise((resolve) => response.on('close', () => resolve())));
      }
      if (delayMs > 0) setTimeout(() => respond(recorded, response), delayMs);
      else void respond(recorded, response);
    });
  }, options);
  return { ...loopback, requests, responsesClosed };
}

const words = (text: string) => text.match(/\S+\s*/g) ?? [];

const failWith = (
  response: ServerResponse,
  failure: { status: number; body: unknown; headers?: Record<string, string> },
): void => {
  response
    .writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers })
    .end(JSON.stringify(failure.body));
};

/**
 * An OpenAI chat-completions upstream: streams `reply.text` word by word, then `reply.toolUse` if set (its
 * arguments in two pieces), then the usage chunk.
 */
export async function startOpenAiUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const reply: Upstream['reply'] = { text: options.text ?? 'Hola desde el upstream.' };
  const base = await startRecordingServer((request, response) => {
    const failure = reply.failures?.shift() ?? reply.failWith;
    if (failure) return failWith(response, failure);
    const { model } = request.body;
    const chunk = (delta: object, finish: string | null = null) =>
      openAiChunk({ model, choices: [{ index: 0, delta, finish_reason: finish }] });
    const { toolUse } = reply;
    const toolCall = (fields: object) => chunk({ tool_calls: [{ index: 0, ...fields }] });
    const toolChunks = toolUse
      ? [
          toolCall({ id: toolUse.id, type: 'function', function: { name: toolUse.name, arguments: '' } }),
          ...[JSON.stringify(toolUse.input).slice(0, 7), JSON.stringify(toolUse.input).slice(7)].map(
            (piece) => toolCall({ function: { arguments: piece } }),
          ),
        ]
      : [];
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(
      [
        chunk({ role: 'assistant', content: '' }),
        ...words(reply.text).map((word) => chunk({ content: word })),
        ...toolChunks,
        chunk({}, toolUse ? 'tool_calls' : 'stop'),
        openAiChunk({ choices: [], usage: { prompt_tokens: 999, completion_tokens: 5, total_tokens: 1004 } }),
        'data: [DONE]\n\n',
      ].join(''),
    );
  }, options);
  return { ...base, reply };
}

/** An Anthropic Messages upstream: streams `reply.text` word by word, then `reply.toolUse` if set. */
export async function startAnthropicUpstream(options: UpstreamOptions = {}): Promise<Upstream> {
  const reply: Upstream['reply'] = { text: options.text ?? 'Hello from Claude upstream.' };
  const base = await startRecordingServer((request, response) => {
    const failure = reply.failures?.shift() ?? reply.failWith;
    if (failure) return failWith(response, failure);
    const answer = () => {
      const usage =
        reply.inputTokens === null
          ? { output_tokens: 1 }
          : { input_tokens: reply.inputTokens ?? 4321, output_tokens: 1 };
      const events = [
        messageStart(request.body.model, usage),
        anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        anthropicEvent('ping'),
        ...words(reply.text).map((text) =>
          anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
        ),
        anthropicEvent('content_block_stop', { index: 0 }),
      ];
      const { toolUse } = reply;
      if (toolUse) {
        const json = JSON.stringify(toolUse.input);
        events.push(
          anthropicEvent('content_block_start', {
            index: 1,
            content_block: { type: 'tool_use', id: toolUse.id, name: toolUse.name, input: {} },
          }),
          ...[json.slice(0, 7), json.slice(7)].map((partial_json) =>
            anthropicEvent('content_block_delta', {
              index: 1,
              delta: { type: 'input_json_delta', partial_json },
            }),
          ),
          anthropicEvent('content_block_stop', { index: 1 }),
        );
      }
      events.push(
        anthropicEvent('message_delta', {
          delta: { stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: 6 },
        }),
        anthropicEvent('message_stop'),
      );
      response.writeHead(200, { 'content-type': 'text/event-stream' }).end(events.join(''));
    };
    if (!reply.prepare) return answer();
    reply.prepare(request.body).then(answer, (error: unknown) =>
      failWith(response, {
        status: 500,
        body: { type: 'error', error: { type: 'api_error', message: String(error) } },
      }),
    );
  }, options);
  return { ...base, reply };
}
