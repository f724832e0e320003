// Local engine benchmark (issues 11 and 14): the built `sightline serve` answering a text-heavy 1920×1080
// terminal screenshot (test/fixtures/terminal-session.txt), streamed through real sockets. Prints time to
// the first text delta (goal: under 1 s), to the image's measurement line and to its OCR text, the whole
// answer and its output tokens; then one request alone vs the same after ten abandoned ones (their OCR
// must be cancelled, not run). Run `npm run build && node bench/local-engine.js`. A measurement, not a test.
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { decodeServerSentEvents } from '../dist/src/net/index.js';
import { terminalScreenshot } from '../dist/test/support/images.js';
import { base64Image } from '../dist/test/support/messages.js';
import { ROOT, spawnServer } from '../dist/test/support/process.js';

const STREAM_RUNS = 3;
const ABANDONED = 10;

const body = (png, stream) =>
  JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    stream,
    messages: [{ role: 'user', content: [base64Image(png)] }],
  });

const headers = { 'content-type': 'application/json', 'x-api-key': 'bench' };

/** Streams one answer; returns when (ms after sending) each milestone arrived. */
async function timeStream(url, png) {
  const started = performance.now();
  const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: body(png, true) });
  const times = {};
  let text = '';
  let outputTokens = 0;
  for await (const { data } of decodeServerSentEvents(response.body)) {
    const parsed = JSON.parse(data);
    const at = performance.now() - started;
    if (parsed.type === 'content_block_delta' && parsed.delta.type === 'text_delta') {
      times.firstText ??= at;
      if (parsed.delta.text.startsWith('Image 1 (')) times.measured ??= at;
      if (parsed.delta.text.startsWith('Text in Image 1')) times.read ??= at;
      text += parsed.delta.text;
    }
    if (parsed.type === 'message_delta') outputTokens = parsed.usage.output_tokens;
  }
  return {
    ...times,
    total: performance.now() - started,
    outputTokens,
    lines: /OCR, (\d+) lines/.exec(text)?.[1],
  };
}

async function timeWhole(url, png) {
  const started = performance.now();
  const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: body(png, false) });
  await response.json();
  return performance.now() - started;
}

/** Sends a request and destroys its socket `afterMs` after the body is sent. */
const abandon = (url, payload, afterMs) =>
  new Promise((resolve) => {
    const request = httpRequest(`${url}/v1/messages`, { method: 'POST', headers, agent: false });
    request.on('error', () => resolve());
    request.on('response', (response) => response.resume().on('end', resolve));
    request.end(payload, () =>
      setTimeout(() => {
        request.destroy();
        resolve();
      }, afterMs),
    );
  });

const ms = (value) => (value === undefined ? '—' : `${Math.round(value)} ms`);

const server = await spawnServer(['--data-dir', join(ROOT, 'bench', 'out', 'local-engine-data')]);
try {
  await timeWhole(server.url, await terminalScreenshot({ variant: 'warm-up' })); // the OCR worker starts
  console.log('Local engine, 1920×1080 terminal screenshot (34 lines), streamed:');
  for (let run = 0; run < STREAM_RUNS; run += 1) {
    const times = await timeStream(server.url, await terminalScreenshot({ variant: `stream ${run}` }));
    console.log(
      `  first text ${ms(times.firstText)}, measurement line ${ms(times.measured)}, OCR text ${ms(times.read)}, ` +
        `whole ${ms(times.total)}; ${times.lines} lines read, ${times.outputTokens} output tokens (max_tokens 1024)`,
    );
  }
  const alone = await timeWhole(server.url, await terminalScreenshot({ variant: 'alone' }));
  const payloads = await Promise.all(
    Array.from({ length: ABANDONED }, async (_, index) =>
      body(await terminalScreenshot({ variant: `abandoned ${index}` }), false),
    ),
  );
  await Promise.all(payloads.map((payload) => abandon(server.url, payload, 300)));
  const after = await timeWhole(server.url, await terminalScreenshot({ variant: 'after' }));
  console.log(`  one request alone ${ms(alone)}; the same after ${ABANDONED} abandoned ones ${ms(after)}`);
} finally {
  server.child.kill('SIGTERM');
}
