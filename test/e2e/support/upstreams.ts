// Loopback upstreams speaking real protocols (OpenAI chat completions, Anthropic Messages), recording
// every request they receive. Test doubles live only here, at the process boundary.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface Upstream {
  url: string;
  requests: RecordedRequest[];
  /** the next answer's text (default "Hola desde el upstream.") */
  reply: {
    text: string;
    failWith?: { status: number; body: unknown };
    /** one failure per request, taken in order before anything else (a flaky upstream; Anthropic only) */
    failures?: Array<{ status: number; body: unknown; headers?: Record<string, string> }>;
    /** a tool call after the text (Anthropic upstream only) */
    toolUse?: { id: string; name: string; input: unknown };
    /** input tokens reported (Anthropic upstream; default 4321); null reports none */
    inputTokens?: number | null;
    /** runs before each answer (Anthropic upstream): may look at the request and set `toolUse` */
    prepare?: (body: Record<string, unknown>) => Promise<void>;
  };
  close(): Promise<void>;
}

async function listen(
  handler: (request: RecordedRequest, response: import('node:http').ServerResponse) => void,
) {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
      };
      requests.push(recorded);
      handler(recorded, response);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const words = (text: string) => text.match(/\S+\s*/g) ?? [];

export async function startOpenAiUpstream(): Promise<Upstream> {
  const reply: Upstream['reply'] = { text: 'Hola desde el upstream.' };
  const base = await listen((request, response) => {
    if (reply.failWith) {
      response
        .writeHead(reply.failWith.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(reply.failWith.body));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: request.body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    response.write(chunk({ role: 'assistant', content: '' }));
    for (const word of words(reply.text)) response.write(chunk({ content: word }));
    response.write(chunk({}, 'stop'));
    response.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 999, completion_tokens: 5, total_tokens: 1004 } })}\n\n`,
    );
    response.end('data: [DONE]\n\n');
  });
  return { ...base, reply };
}

export async function startAnthropicUpstream(): Promise<Upstream> {
  const reply: Upstream['reply'] = { text: 'Hello from Claude upstream.' };
  const base = await listen((request, response) => {
    const failure = reply.failures?.shift();
    if (failure) {
      response
        .writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers })
        .end(JSON.stringify(failure.body));
      return;
    }
    if (reply.failWith) {
      response
        .writeHead(reply.failWith.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(reply.failWith.body));
      return;
    }
    const answer = () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (type: string, data: object) =>
        response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      send('message_start', {
        message: {
          id: 'msg_up',
          type: 'message',
          role: 'assistant',
          model: request.body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage:
            reply.inputTokens === null
              ? { output_tokens: 1 }
              : { input_tokens: reply.inputTokens ?? 4321, output_tokens: 1 },
        },
      });
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      send('ping', {});
      for (const word of words(reply.text))
        send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } });
      send('content_block_stop', { index: 0 });
      const { toolUse } = reply;
      if (toolUse) {
        send('content_block_start', {
          index: 1,
          content_block: { type: 'tool_use', id: toolUse.id, name: toolUse.name, input: {} },
        });
        const json = JSON.stringify(toolUse.input);
        for (const piece of [json.slice(0, 7), json.slice(7)]) {
          send('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: piece } });
        }
        send('content_block_stop', { index: 1 });
      }
      send('message_delta', {
        delta: { stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: 6 },
      });
      send('message_stop', {});
      response.end();
    };
    if (!reply.prepare) return answer();
    reply.prepare(request.body).then(answer, (error: unknown) => {
      response
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(error) } }));
    });
  });
  return { ...base, reply };
}
