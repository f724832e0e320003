// Server benchmark (issue: Messages API server): Sightline in front of loopback upstreams vs the same
// client calling them directly. Prints the latency added (p50/p99) to a text-only request through each
// remote backend (text-latency.js), request time over render time for a 12-MP JPEG, and server CPU of a
// second turn re-sending the same image vs the first. A measurement, not a test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { configureSharp } from '../dist/src/imaging/index.js';
import {
  HIGH_RESOLUTION_PROFILE,
  planImage,
  probeImage,
  renderModelView,
  STANDARD_PROFILE,
} from '../dist/src/index.js';
import { noisyJpeg } from '../dist/test/support/images.js';
import { askAboutImage } from '../dist/test/support/messages.js';
import { startServeProcess } from '../dist/test/support/process.js';
import { startAnthropicUpstream } from '../dist/test/support/upstreams.js';
import { post, runTextLatencyBench, textLatencyRows } from './text-latency.js';
import { percentile } from './timing.js';

const IMAGE_REQUESTS = 6;
const RESEND_CONVERSATIONS = 12;

const startSightline = (upstreamUrl, viewFormat) =>
  startServeProcess(
    `render: { format: ${viewFormat} }\nbackends:\n  up: { type: anthropic, base_url: "${upstreamUrl}", api_key: k }\nmodels:\n  - { id: "claude-*", backend: up }\n`,
  );

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 4 });

const HEADERS = { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' };
const postMessages = (url, body) => post(dispatcher, `${url}/v1/messages`, HEADERS, body);

/** A photo-like 4000×3000 JPEG; `seed` changes its bytes so each one misses every cache. */
const photo = (seed, width = 4000, height = 3000) => noisyJpeg(width, height, { seed: seed * 7919 + 1 });

/** For one view format: a 12-MP JPEG request vs its render alone, and the CPU of re-sending it. */
async function measureImages(sightline, format, text) {
  // 12-MP JPEG: the whole request vs rendering its model view alone (in this process)
  configureSharp();
  const requestTimes = [];
  const renderTimes = [];
  for (let index = 0; index < IMAGE_REQUESTS; index += 1) {
    const bytes = await photo(index + 1);
    const probe = probeImage(bytes);
    const plan = planImage(probe.width, probe.height, STANDARD_PROFILE);
    const started = performance.now();
    await renderModelView(bytes, plan, false, { format });
    renderTimes.push(performance.now() - started);
    requestTimes.push(
      await postMessages(sightline.url, {
        ...text,
        messages: [askAboutImage(bytes, 'image/jpeg', 'What is this?')],
      }),
    );
  }
  const image = { request_ms: percentile(requestTimes, 50), render_ms: percentile(renderTimes, 50) };
  image.ratio = image.request_ms / image.render_ms;

  // a conversation: turn 1 sends a new image; turn 2 re-sends it with the answer and a new question
  const turns = [];
  // /proc counts CPU in 10 ms ticks: enough conversations to make the sums meaningful
  for (let index = 0; index < RESEND_CONVERSATIONS; index += 1) {
    const firstTurn = [askAboutImage(await photo(100 + index), 'image/jpeg', 'What is this?')];
    const secondTurn = [
      ...firstTurn,
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'And the colours?' },
    ];
    const before = cpuSeconds(sightline.child.pid);
    await postMessages(sightline.url, { ...text, messages: firstTurn });
    const middle = cpuSeconds(sightline.child.pid);
    await postMessages(sightline.url, { ...text, messages: secondTurn });
    const after = cpuSeconds(sightline.child.pid);
    turns.push({ first: middle - before, second: after - middle });
  }
  const firstCpu = turns.reduce((sum, turn) => sum + turn.first, 0);
  const secondCpu = turns.reduce((sum, turn) => sum + turn.second, 0);
  const resend = {
    first_turn_cpu_s: firstCpu / turns.length,
    second_turn_cpu_s: secondCpu / turns.length,
    ratio: firstCpu / Math.max(secondCpu, 0.01 * turns.length),
  };
  return { image, resend };
}

/**
 * JPEG in → JPEG view (docs/views.md): a 2560×1600 JPEG's view for a high-resolution model (unpadded, as
 * sent to Claude), encoded as its family (JPEG q95) vs as PNG (what was sent before): size and time.
 */
export async function measureJpegView() {
  configureSharp();
  const bytes = await photo(500, 2560, 1600);
  const plan = planImage(2560, 1600, HIGH_RESOLUTION_PROFILE);
  const result = { source_kb: bytes.length / 1024, view: `${plan.viewWidth}x${plan.viewHeight}` };
  for (const format of ['png', 'auto']) {
    const times = [];
    let size = 0;
    for (let index = 0; index < 3; index += 1) {
      const started = performance.now();
      const view = await renderModelView(bytes, plan, false, { format, pad: false });
      times.push(performance.now() - started);
      size = view.data.length;
    }
    result[format === 'png' ? 'png' : 'jpeg'] = { kb: size / 1024, ms: percentile(times, 50) };
  }
  return result;
}

export async function runServerBench() {
  // the same short answer to every request, nothing recorded: the upstream's own work stays small
  const upstream = await startAnthropicUpstream({ record: false, text: 'ok', keepAliveTimeoutMs: 60_000 });
  const servers = {
    png: await startSightline(upstream.url, 'png'),
    jpeg: await startSightline(upstream.url, 'jpeg'),
  };
  const text = {
    model: 'claude-sonnet-4-6',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'Say ok.' }],
  };
  try {
    // the text path through each remote backend, against the same client calling its upstream directly
    const latency = await runTextLatencyBench();

    const views = {};
    for (const [format, server] of Object.entries(servers))
      views[format] = await measureImages(server, format, text);
    const jpegIn = await measureJpegView();
    return {
      latency,
      image: views.png.image,
      resend: views.png.resend,
      jpeg_view: views.jpeg,
      jpeg_in: jpegIn,
    };
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await upstream.close();
    await dispatcher.close();
  }
}

export function printServerBench(results) {
  const { latency, image, resend, jpeg_view: jpeg, jpeg_in: jpegIn } = results;
  const met = (ok) => (ok ? 'met' : 'MISSED');
  const rows = [
    ['case', 'Sightline', 'direct / alternative', 'figure', 'target', ''],
    ...textLatencyRows(latency),
    [
      '12-MP JPEG: request / render alone',
      `${image.request_ms.toFixed(0)} ms`,
      `${image.render_ms.toFixed(0)} ms`,
      `${image.ratio.toFixed(2)}×`,
      '≤ 1.2×',
      met(image.ratio <= 1.2),
    ],
    [
      're-sent image: CPU turn 1 / turn 2',
      `${(resend.second_turn_cpu_s * 1000).toFixed(0)} ms`,
      `${(resend.first_turn_cpu_s * 1000).toFixed(0)} ms`,
      `${resend.ratio.toFixed(1)}×`,
      '≥ 10×',
      met(resend.ratio >= 10),
    ],
    [
      '  the same with JPEG q90 views',
      `${jpeg.image.request_ms.toFixed(0)} ms`,
      `${jpeg.image.render_ms.toFixed(0)} ms`,
      `${jpeg.image.ratio.toFixed(2)}×`,
      '(render.format: jpeg)',
      '',
    ],
    [
      '  the same with JPEG q90 views',
      `${(jpeg.resend.second_turn_cpu_s * 1000).toFixed(0)} ms`,
      `${(jpeg.resend.first_turn_cpu_s * 1000).toFixed(0)} ms`,
      `${jpeg.resend.ratio.toFixed(1)}×`,
      '(render.format: jpeg)',
      '',
    ],
    [
      `JPEG-in → JPEG view (2560×1600 ${jpegIn.source_kb.toFixed(0)} KB → ${jpegIn.view})`,
      `${jpegIn.jpeg.kb.toFixed(0)} KB ${jpegIn.jpeg.ms.toFixed(0)} ms`,
      `${jpegIn.png.kb.toFixed(0)} KB ${jpegIn.png.ms.toFixed(0)} ms (PNG)`,
      `${(jpegIn.png.kb / jpegIn.jpeg.kb).toFixed(1)}× smaller`,
      '(reported)',
      '',
    ],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  console.log('\nServer (Sightline in front of a loopback upstream, vs calling it directly)');
  for (const row of rows)
    console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runServerBench();
  printServerBench(results);
  console.log(JSON.stringify(results));
}
