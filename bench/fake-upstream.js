// Upstreams for benchmarks, on loopback: every request gets the same short streamed answer, after
// `delayMs` (0: at once). `protocol` picks the answer: an Anthropic Messages SSE stream (default) or an
// OpenAI Chat Completions one.
import { createServer } from 'node:http';

const sse = (events) =>
  events.map(([type, data]) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`).join('');

const ANTHROPIC_BODY = sse([
  [
    'message_start',
    {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    },
  ],
  ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'ok' } }],
  ['content_block_stop', { index: 0 }],
  ['message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }],
  ['message_stop', {}],
]);

const chunk = (choices, usage) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'm', choices, ...(usage ? { usage } : {}) })}\n\n`;
const OPENAI_BODY = [
  chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: 'ok' }, finish_reason: null }]),
  chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
  chunk([], { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 }),
  'data: [DONE]\n\n',
].join('');

export async function startFakeUpstream({ delayMs = 0, protocol = 'anthropic' } = {}) {
  const body = protocol === 'openai' ? OPENAI_BODY : ANTHROPIC_BODY;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = () => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(body);
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
