// Soak benchmark (`npm run bench:soak`, issue 11): a built `sightline serve` process on its default limits
// in front of a loopback Anthropic-protocol upstream, under a mix of well-behaved clients (text, image,
// count_tokens, uploads) first alone, then alongside abusive ones (silent sockets, trickled bodies,
// abandoned image requests, pathological JSON, 8000×8000 images). Prints requests served, errors by type,
// p50/p99 of the well-behaved clients without and during the abuse, peak RSS, and whether every
// acknowledged upload is intact. A measurement, not a test: it exits 0 whatever the figures.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { Agent, FormData, fetch, request } from 'undici';
import { askAboutImage } from '../dist/test/support/messages.js';
import { startServeProcess } from '../dist/test/support/process.js';
import { startAnthropicUpstream } from '../dist/test/support/upstreams.js';
import { percentile } from './timing.js';

const BASELINE_MS = Number(process.env.SOAK_BASELINE_MS ?? 35_000);
const ABUSE_MS = Number(process.env.SOAK_ABUSE_MS ?? 70_000);
const GOOD_CLIENTS = 4;
const SILENT_SOCKETS = 1_200; // past the default cap of 1000 connections
const TRICKLING_CLIENTS = 40;
const KEY = 'sk-soak';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Peak resident set size of a process so far (VmHWM), in MiB. */
const peakRssMiB = (pid) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** A request with the soak key; the answer's status and text. */
const caller = (url) =>
  async function call(method, path, body, headers = {}, dispatcher) {
    const response = await request(`${url}${path}`, {
      method,
      dispatcher,
      headers: { 'x-api-key': KEY, ...headers },
      body,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await response.body.text();
    return { status: response.statusCode, text };
  };

/** Tallies errors as "client: status type". */
function createErrorTally() {
  const errors = {};
  const countError = (who, status, type) => {
    const key = `${who}: ${status} ${type ?? ''}`.trim();
    errors[key] = (errors[key] ?? 0) + 1;
  };
  return { errors, countError };
}

/** Request bodies: photo-like JPEGs (distinct, so renders miss the cache), 8000×8000 PNGs. */
async function makeInputs() {
  // inputs: photo-like JPEGs (distinct, so renders miss the cache), one 8000×8000 PNG per copy
  const noise = async (seed, width, height) => {
    const raw = randomBytes(width * height * 3);
    raw[0] = seed & 255;
    return sharp(raw, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 80 })
      .toBuffer();
  };
  const photos = await Promise.all(Array.from({ length: 24 }, (_, index) => noise(index, 1600, 1200)));
  const bigPngs = await Promise.all(
    ['#3c8', '#c38', '#38c'].map((background) =>
      sharp({ create: { width: 8000, height: 8000, channels: 3, background } })
        .png({ compressionLevel: 9 })
        .toBuffer(),
    ),
  );

  const bodies = {
    text: () => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Say ok.' }],
    }),
    image: (index) => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      messages: [askAboutImage(photos[index % photos.length], 'image/jpeg', 'What is this?')],
    }),
    count: (index) => ({
      model: 'claude-sonnet-4-6',
      messages: [askAboutImage(photos[(index + 7) % photos.length], 'image/jpeg', 'Count.')],
    }),
  };

  return { bodies, bigPngs };
}

/**
 * The abusive clients, in their own process (`--abuser`) so their work does not slow the measuring
 * process: they start at `startAt` and stop at `stopAt` (epoch ms), then print their tallies as JSON.
 */
async function runAbusers(url, startAt, stopAt) {
  const port = Number(new URL(url).port);
  const { bodies, bigPngs } = await makeInputs();
  const { errors, countError } = createErrorTally();
  const abusive = new Agent({ keepAliveTimeout: 1_000, connections: 64 });
  const call = caller(url);
  await sleep(Math.max(0, startAt - Date.now()));
  // --- abusive clients -------------------------------------------------------------------------------
  const abuseCounts = {
    silent_opened: 0,
    silent_closed_by_server: 0,
    trickled: 0,
    abandoned: 0,
    nested: 0,
    big_images: 0,
  };
  const recordAbusive = async (who, promise) => {
    try {
      const { status, text } = await promise;
      if (status !== 200) {
        let type;
        try {
          type = JSON.parse(text).error.type;
        } catch {
          type = 'not-an-envelope';
        }
        countError(who, status, type);
      }
    } catch (error) {
      countError(who, 'network', error.code ?? error.name);
    }
  };

  async function silentSockets(stopAt) {
    const open = new Set();
    while (Date.now() < stopAt) {
      while (open.size < SILENT_SOCKETS && Date.now() < stopAt) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        socket.on('close', () => {
          if (open.delete(socket) && Date.now() < stopAt) abuseCounts.silent_closed_by_server += 1;
        });
        open.add(socket);
        abuseCounts.silent_opened += 1;
        if (open.size % 100 === 0) await sleep(10);
      }
      await sleep(2_000); // the closed ones come back every 2 s
    }
    for (const socket of open) socket.destroy();
  }

  async function trickle(stopAt) {
    while (Date.now() < stopAt) {
      await new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk));
        socket.write(
          `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-api-key: ${KEY}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{`,
        );
        const timer = setInterval(() => socket.writable && socket.write(' '), 1_000);
        const done = () => {
          clearInterval(timer);
          abuseCounts.trickled += 1;
          const status = /^HTTP\/1\.1 (\d+)/.exec(answer)?.[1];
          if (status) countError('trickling', status, /"type":"(\w+)"\}/.exec(answer)?.[1]);
          socket.destroy();
          resolve();
        };
        socket.on('close', done);
        setTimeout(done, Math.max(0, stopAt - Date.now()));
      });
    }
  }

  async function abandon(stopAt, offset) {
    for (let index = offset; Date.now() < stopAt; index += 2) {
      const controller = new AbortController();
      const pending = request(`${url}/v1/messages`, {
        method: 'POST',
        dispatcher: abusive,
        signal: controller.signal,
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify(bodies.image(index + 3)),
      }).catch(() => undefined);
      await sleep(30 + (index % 5) * 20);
      controller.abort();
      await pending;
      abuseCounts.abandoned += 1;
    }
  }

  async function nestedJson(stopAt) {
    const depth = 8 * 1024 * 1024;
    const body = `{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    while (Date.now() < stopAt) {
      await recordAbusive(
        'nested-json',
        call('POST', '/v1/messages', body, { 'content-type': 'application/json' }, abusive),
      );
      abuseCounts.nested += 1;
      await sleep(1_500);
    }
  }

  async function bigImages(stopAt, copy) {
    while (Date.now() < stopAt) {
      // one image per loop, each its own colour: three decodes of 192 MB each can be in flight
      const body = JSON.stringify({
        model: 'claude-sonnet-4-6',
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                source: { type: 'base64', media_type: 'image/png', data: bigPngs[copy].toString('base64') },
              },
              { type: 'text', text: `copy ${copy}` },
            ],
          },
        ],
      });
      await recordAbusive(
        '8000x8000',
        call('POST', '/v1/messages/count_tokens', body, { 'content-type': 'application/json' }, abusive),
      );
      abuseCounts.big_images += 1;
      await sleep(500);
    }
  }

  await Promise.all([
    silentSockets(stopAt),
    ...Array.from({ length: TRICKLING_CLIENTS }, () => trickle(stopAt)),
    abandon(stopAt, 0),
    abandon(stopAt, 1),
    nestedJson(stopAt),
    bigImages(stopAt, 0),
    bigImages(stopAt, 1),
    bigImages(stopAt, 2),
  ]);
  await abusive.destroy();
  process.stdout.write(JSON.stringify({ abuseCounts, errors }));
}

async function main() {
  const upstream = await startAnthropicUpstream({
    record: false,
    text: 'ok',
    delayMs: 20,
    keepAliveTimeoutMs: 60_000,
  });
  const sightline = await startServeProcess(
    [
      `api_keys: [{ key: ${KEY}, workspace: soak }]`,
      'files: { downloadable: true }',
      'backends:',
      `  up: { type: anthropic, base_url: "${upstream.url}", api_key: k }`,
      'models:',
      '  - { id: "claude-*", backend: up }',
      '',
    ].join('\n'),
  );
  const { url } = sightline;
  const good = new Agent({ keepAliveTimeout: 10_000, connections: GOOD_CLIENTS * 2 });

  const { bodies } = await makeInputs();
  const { errors, countError } = createErrorTally();
  const call = caller(url);
  const latencies = { baseline: [], abuse: [] };
  const byKind = { baseline: {}, abuse: {} };
  let served = 0;
  const uploads = []; // { id, sha }
  let phase = 'baseline';

  async function upload(form) {
    const response = await fetch(`${url}/v1/files`, {
      method: 'POST',
      dispatcher: good,
      headers: { 'x-api-key': KEY, 'anthropic-beta': 'files-api-2025-04-14' },
      body: form,
    });
    return { status: response.status, text: await response.text() };
  }

  async function wellBehaved(client, stopAt) {
    for (let index = client; Date.now() < stopAt; index += GOOD_CLIENTS) {
      const kind = ['text', 'image', 'count', 'upload'][index % 4];
      const started = performance.now();
      let result;
      try {
        if (kind === 'upload') {
          const bytes = randomBytes(256 * 1024 + (index % 7) * 1024);
          const form = new FormData();
          form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), `soak-${index}.bin`);
          result = await upload(form);
          if (result.status === 200) uploads.push({ id: JSON.parse(result.text).id, sha: sha256(bytes) });
        } else {
          const path = kind === 'count' ? '/v1/messages/count_tokens' : '/v1/messages';
          result = await call(
            'POST',
            path,
            JSON.stringify(bodies[kind](index)),
            { 'content-type': 'application/json' },
            good,
          );
        }
      } catch (error) {
        countError('well-behaved', 'network', error.code ?? error.message);
        continue;
      }
      const elapsed = performance.now() - started;
      if (result.status === 200) {
        served += 1;
        latencies[phase].push(elapsed);
        byKind[phase][kind] = [...(byKind[phase][kind] ?? []), elapsed];
      } else {
        let type;
        try {
          type = JSON.parse(result.text).error.type;
        } catch {
          type = 'not-an-envelope';
        }
        countError('well-behaved', result.status, type);
      }
    }
  }

  // --- the run -----------------------------------------------------------------------------------------
  const started = Date.now();
  const abuseStarts = started + BASELINE_MS;
  const abuseEnds = abuseStarts + ABUSE_MS;
  // the abusers prepare their inputs during the baseline and start on time
  const abuser = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--abuser', url, String(abuseStarts), String(abuseEnds)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let abuserOutput = '';
  abuser.stdout.on('data', (chunk) => (abuserOutput += chunk));
  const abuserDone = new Promise((resolve) => abuser.once('exit', resolve));
  await Promise.all(Array.from({ length: GOOD_CLIENTS }, (_, client) => wellBehaved(client, abuseStarts)));
  const rssBaseline = peakRssMiB(sightline.child.pid);
  phase = 'abuse';
  await sleep(Math.max(0, abuseStarts - Date.now()));
  await Promise.all(Array.from({ length: GOOD_CLIENTS }, (_, client) => wellBehaved(client, abuseEnds)));
  await abuserDone;
  const { abuseCounts, errors: abuseErrors } = JSON.parse(abuserOutput || '{"abuseCounts":{},"errors":{}}');
  Object.assign(errors, abuseErrors);
  const rssPeak = peakRssMiB(sightline.child.pid);

  // every acknowledged upload is listed and downloads byte for byte
  let intact = 0;
  const broken = [];
  for (const upload of uploads) {
    const response = await request(`${url}/v1/files/${upload.id}/content`, {
      dispatcher: good,
      headers: { 'x-api-key': KEY, 'anthropic-beta': 'files-api-2025-04-14' },
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode === 200 && sha256(bytes) === upload.sha) intact += 1;
    else broken.push(upload.id);
  }
  const health = await call('GET', '/healthz', undefined, {}, good);

  await sightline.stop();
  await upstream.close();
  await good.close();

  const ms = (value) => `${value.toFixed(1)} ms`;
  const baselineP99 = percentile(latencies.baseline, 99);
  const abuseP99 = percentile(latencies.abuse, 99);
  const results = {
    duration_s: Math.round((Date.now() - started) / 1000),
    requests_served: served,
    well_behaved: {
      baseline: {
        requests: latencies.baseline.length,
        p50_ms: percentile(latencies.baseline, 50),
        p99_ms: baselineP99,
      },
      abuse: { requests: latencies.abuse.length, p50_ms: percentile(latencies.abuse, 50), p99_ms: abuseP99 },
      by_kind: Object.fromEntries(
        ['text', 'image', 'count', 'upload'].map((kind) => [
          kind,
          {
            baseline_p50_ms: percentile(byKind.baseline[kind] ?? [], 50),
            baseline_p99_ms: percentile(byKind.baseline[kind] ?? [], 99),
            abuse_p50_ms: percentile(byKind.abuse[kind] ?? [], 50),
            abuse_p99_ms: percentile(byKind.abuse[kind] ?? [], 99),
          },
        ]),
      ),
    },
    abusive: abuseCounts,
    errors_by_type: errors,
    rss_mib: { after_baseline_peak: rssBaseline, peak: rssPeak },
    uploads: { acknowledged: uploads.length, intact, broken },
    healthz_after: health.status,
  };
  console.log(JSON.stringify(results, null, 2));
  console.log('\nSoak summary');
  console.log(`  requests served (well-behaved): ${served} in ${results.duration_s} s`);
  console.log(
    `  well-behaved p50/p99 without abuse: ${ms(percentile(latencies.baseline, 50))} / ${ms(baselineP99)}`,
  );
  console.log(
    `  well-behaved p50/p99 during abuse:  ${ms(percentile(latencies.abuse, 50))} / ${ms(abuseP99)} (p99 ×${(abuseP99 / baselineP99).toFixed(2)}; goal ≤ ×2: ${abuseP99 <= 2 * baselineP99 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  peak RSS: ${rssPeak.toFixed(0)} MiB (goal < 1024 MiB: ${rssPeak < 1024 ? 'met' : 'MISSED'})`,
  );
  console.log(`  uploads intact: ${intact}/${uploads.length}`);
  console.log('  errors by type:');
  for (const [key, count] of Object.entries(errors).sort()) console.log(`    ${key}: ${count}`);
}

if (process.argv[2] === '--abuser')
  await runAbusers(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else await main();
