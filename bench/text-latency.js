// Text-path latency (issue 10, item 8): a text-only request through each remote backend of one
// Sightline process vs the same client calling that backend's loopback upstream directly, interleaved
// so the machine's noise hits all four alike. Prints p50 and p99 of each and the latency Sightline adds.
// Run alone with `node bench/text-latency.js` (after `npm run build`).
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startServeProcess } from '../dist/test/support/process.js';
import { startAnthropicUpstream, startOpenAiUpstream } from '../dist/test/support/upstreams.js';
import { percentile, rotate } from './timing.js';

const WARM_UP = 100;
const REQUESTS = 600;
const TARGET_ADDED_P50_MS = 2;

/** The same question in each protocol: the Anthropic body goes to Sightline and to the Anthropic upstream. */
const ANTHROPIC_TEXT = {
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'Say ok.' }],
};
const OPENAI_TEXT = {
  model: 'm',
  max_tokens: 16,
  stream: true,
  stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'Say ok.' }],
};

/** POSTs a JSON body and reads the whole answer; the time it took, in ms (throws on a non-200). */
export async function post(dispatcher, url, headers, body) {
  const started = performance.now();
  const response = await request(url, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${response.statusCode}: ${text.slice(0, 300)}`);
  return performance.now() - started;
}

const startSightline = (anthropicUrl, openaiUrl) =>
  startServeProcess(
    [
      'backends:',
      `  claude: { type: anthropic, base_url: "${anthropicUrl}", api_key: k }`,
      `  vllm: { type: openai-compatible, base_url: "${openaiUrl}/v1" }`,
      'models:',
      '  - { id: "claude-*", backend: claude }',
      '  - { id: "qwen-vl", backend: vllm, upstream_model: m }',
      '',
    ].join('\n'),
  );

const summary = (direct, proxied) => {
  const row = {
    direct_p50_ms: percentile(direct, 50),
    direct_p99_ms: percentile(direct, 99),
    sightline_p50_ms: percentile(proxied, 50),
    sightline_p99_ms: percentile(proxied, 99),
  };
  row.added_p50_ms = row.sightline_p50_ms - row.direct_p50_ms;
  row.added_p99_ms = row.sightline_p99_ms - row.direct_p99_ms;
  row.ratio_p50 = row.sightline_p50_ms / row.direct_p50_ms;
  row.ratio_p99 = row.sightline_p99_ms / row.direct_p99_ms;
  return row;
};

export async function runTextLatencyBench({ requests = REQUESTS } = {}) {
  // the same short answer to every request, nothing recorded: the upstreams' own work stays small
  const answer = { record: false, text: 'ok', keepAliveTimeoutMs: 60_000 };
  const upstreams = {
    anthropic: await startAnthropicUpstream(answer),
    openai: await startOpenAiUpstream(answer),
  };
  const sightline = await startSightline(upstreams.anthropic.url, upstreams.openai.url);
  const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 4 });
  const anthropicHeaders = { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' };
  const variants = {
    'anthropic direct': () =>
      post(dispatcher, `${upstreams.anthropic.url}/v1/messages`, anthropicHeaders, ANTHROPIC_TEXT),
    'anthropic via Sightline': () =>
      post(dispatcher, `${sightline.url}/v1/messages`, anthropicHeaders, ANTHROPIC_TEXT),
    'openai-compatible direct': () =>
      post(
        dispatcher,
        `${upstreams.openai.url}/v1/chat/completions`,
        { authorization: 'Bearer k' },
        OPENAI_TEXT,
      ),
    'openai-compatible via Sightline': () =>
      post(dispatcher, `${sightline.url}/v1/messages`, anthropicHeaders, {
        ...ANTHROPIC_TEXT,
        model: 'qwen-vl',
      }),
  };
  const names = Object.keys(variants);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  try {
    for (let index = 0; index < WARM_UP; index += 1) for (const name of names) await variants[name]();
    for (let index = 0; index < requests; index += 1) {
      for (const name of rotate(names, index % names.length)) times[name].push(await variants[name]());
    }
  } finally {
    await sightline.stop();
    await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
    await dispatcher.close();
  }
  return {
    requests,
    anthropic: summary(times['anthropic direct'], times['anthropic via Sightline']),
    'openai-compatible': summary(times['openai-compatible direct'], times['openai-compatible via Sightline']),
  };
}

/** Table rows (case, Sightline, direct, figure, target, verdict) for the report. */
export function textLatencyRows(results) {
  const rows = [];
  for (const backend of ['anthropic', 'openai-compatible']) {
    const latency = results[backend];
    rows.push(
      [
        `text request via ${backend}, p50`,
        `${latency.sightline_p50_ms.toFixed(2)} ms`,
        `${latency.direct_p50_ms.toFixed(2)} ms`,
        `+${latency.added_p50_ms.toFixed(2)} ms (${latency.ratio_p50.toFixed(2)}×)`,
        `≤ ${TARGET_ADDED_P50_MS} ms added`,
        latency.added_p50_ms <= TARGET_ADDED_P50_MS ? 'met' : 'MISSED',
      ],
      [
        `text request via ${backend}, p99`,
        `${latency.sightline_p99_ms.toFixed(2)} ms`,
        `${latency.direct_p99_ms.toFixed(2)} ms`,
        `+${latency.added_p99_ms.toFixed(2)} ms (${latency.ratio_p99.toFixed(2)}×)`,
        '(reported)',
        '',
      ],
    );
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requests = Number(process.argv[2] ?? REQUESTS);
  const results = await runTextLatencyBench({ requests });
  const rows = [['case', 'Sightline', 'direct', 'added', 'target', ''], ...textLatencyRows(results)];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`);
}
