// Sightline's benchmarks in one run (`npm run bench`): the image pipeline (docs/rules/pipeline.md §7
// with the built library), then the server, Files API and estimate. Prints ratios against alternatives
// measured in the same run and writes bench/out/results.json. A measurement, not a test: exits 0 on misses.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
// Not re-exported at the package root; the same module instance the library uses.
import { configureSharp, isStrictBase64 } from '../dist/src/imaging/index.js';
import { createImagePipeline, planImage, probeImage, STANDARD_PROFILE } from '../dist/src/index.js';
import { runEstimateBench } from './estimate.js';
import { printFilesBench, runFilesBench } from './files.js';
import { generateInputs } from './inputs.js';
import { printOperationsBench, runOperationsBench } from './operations.js';
import {
  ENCODERS,
  fullDecode,
  rawSharpRender,
  sightlinePrepare,
  sightlineRender,
  TARGET,
} from './pipelines.js';
import { runRepairBench } from './repair.js';
import { formatMiB, formatRate, formatRateAndTime, formatRatio, formatTable } from './report.js';
import { printServerBench, runServerBench } from './server.js';
import { measureInterleaved, median, timedSlice } from './timing.js';
import { RenderWorker } from './worker.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(BENCH_DIR, 'out');
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-pil; not the python3 first on PATH

/** Time budgets: sized so the whole run stays well under 4 minutes on 2 shared cores. */
const RENDER_ROUNDS = 5;
const RENDER_BUDGET_MS = 2500;
const SLICE_MS = 150;
const STAGES_ROUNDS = 3;
const STAGES_BUDGET_MS = 1000;
const PROBE_ROUNDS = 3;
const CACHE_ROUNDS = 3;
const CACHE_BUDGET_MS = 1500;
const JIMP_ITERATIONS = 3;
const RSS_IMAGES = 100;
const RSS_LIMIT_BYTES = 400 * 1024 * 1024;
/** Images before the trend fit: glibc's arenas keep filling up for the first ~40 renders. */
const RSS_WARM_IMAGES = 50;
/** "Flat": the fitted trend over the steady part grows less than this fraction of its mean per 100 images. */
const RSS_FLAT_TREND = 0.1;

const RENDER_TARGETS = { sightlineVsRaw: 0.9, pillow: { jpeg: 2.5, png: 5 }, jimp: { jpeg: 20 } };
const PROBE_TARGET = 100;
const CACHE_TARGET = 50;

/** Median over rounds of a per-round value. */
const medianOf = (rounds, pick) => median(rounds.map(pick));

/** One round's result per variant: operations per wall second and CPU ms per operation. */
const summarise = (result) =>
  Object.fromEntries(
    Object.entries(result).map(([name, r]) => [name, { rate: r.opsPerSecond, cpu: r.cpuMsPerOp }]),
  );

/**
 * A table row comparing variant `ours` with `theirs` over rounds: median rates, and the medians of the
 * per-round wall-time ratio (judged against `target`) and CPU-time ratio (> 1: ours is faster/cheaper).
 */
function comparisonRow(label, rounds, ours, theirs, target, { unit = 'img/s', prefixes = ['', ''] } = {}) {
  const wall = medianOf(rounds, (round) => round[ours].rate / round[theirs].rate);
  const cpu = medianOf(rounds, (round) => round[theirs].cpu / round[ours].cpu);
  return {
    case: label,
    sightline: `${prefixes[0]}${formatRateAndTime(
      medianOf(rounds, (round) => round[ours].rate),
      unit,
    )}`,
    alternative: `${prefixes[1]}${formatRateAndTime(
      medianOf(rounds, (round) => round[theirs].rate),
      unit,
    )}`,
    ratio: `${formatRatio(wall)} (CPU ${formatRatio(cpu)})`,
    target: target === undefined ? 'none (info)' : `≥ ${target}×`,
    met: target === undefined ? null : wall >= target,
  };
}

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

function runChild(script, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else reject(new Error(`${script} exited with ${code}`));
    });
  });
}

/** Node, sharp/libvips, thread and allocator settings that the numbers depend on. */
function describeEnvironment() {
  const jimpVersion = JSON.parse(
    readFileSync(join(BENCH_DIR, '..', 'node_modules', 'jimp', 'package.json'), 'utf8'),
  ).version;
  return {
    node: process.version,
    cpus: `${os.cpus().length}× ${os.cpus()[0]?.model ?? 'unknown'}`,
    sharp: sharp.versions.sharp,
    libvips: sharp.versions.vips,
    sharpConcurrency: sharp.concurrency(),
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
    mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? 'unset',
    jimp: jimpVersion,
  };
}

/** Starts a render worker, or returns null (and says why) when it cannot run here. */
async function startWorker(name, command, args, inputs) {
  try {
    return await RenderWorker.start(
      command,
      args,
      join(OUT_DIR, `${name}-jobs.json`),
      inputs.map((input) => ({ key: input.key, path: input.path, ...input.plan })),
    );
  } catch (error) {
    log(`${name} unavailable: ${error.message}`);
    return null;
  }
}

/**
 * Cases 1 and 2: the library (per-image path and prepare()) vs raw sharp and vs Pillow, interleaved
 * turn by turn in each round; Pillow's per-stage times are summed for the diagnostics.
 */
async function benchRender(inputs, pillow) {
  const pipeline = createImagePipeline({ cacheBytes: 0 });
  const rounds = Object.fromEntries(inputs.map((input) => [input.key, []]));
  const pillowStats = {};
  for (let round = 0; round < RENDER_ROUNDS; round += 1) {
    log(`render round ${round + 1}/${RENDER_ROUNDS}`);
    for (const input of inputs) {
      const variants = {
        sightline: timedSlice(() => sightlineRender(input.data), { sliceMs: SLICE_MS }),
        prepare: timedSlice(() => sightlinePrepare(pipeline, input.data), { sliceMs: SLICE_MS }),
        raw: timedSlice(() => rawSharpRender(input.data, input.plan), { sliceMs: SLICE_MS }),
      };
      if (pillow !== null) {
        variants.pillow = pillow.variant(input.key, SLICE_MS, (result) => {
          pillowStats[input.key] ??= { calls: 0, decode: 0, resizePad: 0, encode: 0 };
          const stats = pillowStats[input.key];
          stats.calls += result.calls;
          for (const stage of ['decode', 'resizePad', 'encode']) stats[stage] += result.stages[stage];
          Object.assign(stats, {
            width: result.width,
            height: result.height,
            outputBytes: result.outputBytes,
          });
        });
      }
      const result = await measureInterleaved(variants, {
        budgetMs: RENDER_BUDGET_MS,
        warmup: round === 0 ? 1 : 0,
      });
      rounds[input.key].push(summarise(result));
    }
  }
  return { rounds, pillowStats };
}

/** Diagnostics: where sharp's CPU time goes (decode+resize+pad to raw pixels vs PNG level 6 vs level 1). */
async function benchSharpStages(inputs) {
  const stages = {};
  for (const input of inputs) {
    log(`sharp stages ${input.key}`);
    const variant = (encoder) =>
      timedSlice(() => rawSharpRender(input.data, input.plan, ENCODERS[encoder]), { sliceMs: SLICE_MS });
    const rounds = [];
    for (let round = 0; round < STAGES_ROUNDS; round += 1) {
      const result = await measureInterleaved(
        { raw: variant('raw'), png6: variant('png6'), png1: variant('png1') },
        { budgetMs: STAGES_BUDGET_MS, warmup: round === 0 ? 1 : 0 },
      );
      rounds.push(Object.fromEntries(Object.entries(result).map(([name, r]) => [name, r.cpuMsPerOp])));
    }
    stages[input.key] = Object.fromEntries(
      ['raw', 'png6', 'png1'].map((name) => [name, medianOf(rounds, (round) => round[name])]),
    );
  }
  return stages;
}

/**
 * Case 3: jimp in a worker process (its garbage collection then never slows the library's slices),
 * JIMP_ITERATIONS calls interleaved with slices of the library's render. jimp has no WebP decoder.
 */
async function benchJimp(inputs, jimp) {
  const results = {};
  for (const input of inputs) {
    if (input.format === 'webp' || jimp === null) {
      results[input.key] = null;
      continue;
    }
    log(`jimp ${input.key}`);
    const result = await measureInterleaved(
      {
        sightline: timedSlice(() => sightlineRender(input.data), { sliceMs: 300 }),
        jimp: jimp.variant(input.key, 0),
      },
      { budgetMs: 0, minTurns: JIMP_ITERATIONS },
    );
    results[input.key] = { calls: result.jimp.calls, summary: summarise(result) };
  }
  return results;
}

/** Case 4: header probe vs full decode of the 12-MP JPEG. */
async function benchProbe(jpeg) {
  const rounds = [];
  const batch = 2000;
  for (let round = 0; round < PROBE_ROUNDS; round += 1) {
    log(`probe round ${round + 1}/${PROBE_ROUNDS}`);
    const result = await measureInterleaved(
      {
        probe: timedSlice(
          () => {
            for (let index = 0; index < batch; index += 1) probeImage(jpeg);
          },
          { sliceMs: 50, batch },
        ),
        decode: timedSlice(() => fullDecode(jpeg)),
      },
      { budgetMs: 1000 },
    );
    rounds.push(summarise(result));
  }
  return rounds;
}

/** Case 5: cache hit vs miss through pipeline.prepare, for a base64 and a file source. */
async function benchCache(jpeg) {
  const base64 = jpeg.toString('base64');
  // A server re-parses every request, so a re-sent image arrives as a new, equal string or buffer:
  // hits rotate through distinct copies (never the cached object itself, which would compare in O(1)).
  const COPIES = 4;
  const sources = {
    base64: Array.from({ length: COPIES }, () => ({
      kind: 'base64',
      mediaType: 'image/jpeg',
      data: Buffer.from(base64, 'latin1').toString('latin1'),
    })),
    file: Array.from({ length: COPIES }, () => ({ kind: 'file', bytes: Buffer.from(jpeg) })),
  };
  const results = {};
  for (const [name, copies] of Object.entries(sources)) {
    const pipeline = createImagePipeline();
    let turn = 0;
    const images = () => [{ path: 'messages.0.content.0', source: copies[turn++ % COPIES] }];
    const rounds = [];
    const miss = async () => {
      pipeline.clearCache();
      await pipeline.prepare(images(), TARGET);
    };
    const hit = async () => {
      const missesBefore = pipeline.cacheStats.misses;
      await pipeline.prepare(images(), TARGET);
      if (pipeline.cacheStats.misses !== missesBefore) throw new Error(`cache ${name}: expected a hit`);
    };
    for (let round = 0; round < CACHE_ROUNDS; round += 1) {
      log(`cache ${name} round ${round + 1}/${CACHE_ROUNDS}`);
      // The miss slice always leaves the image cached, so every hit slice after it is all hits.
      const result = await measureInterleaved(
        { miss: timedSlice(miss), hit: timedSlice(hit, { sliceMs: 60 }) },
        { budgetMs: CACHE_BUDGET_MS, minTurns: 3 },
      );
      rounds.push(summarise(result));
    }
    results[name] = { rounds, sourceBytes: name === 'base64' ? base64.length : jpeg.length };
  }
  // What a hit avoids: SHA-256 of the payload (computed on misses only), the base64 check and decode.
  const msPerCall = async (task) =>
    1000 /
    (await measureInterleaved({ task: timedSlice(task, { sliceMs: 300 }) }, { budgetMs: 0 })).task
      .opsPerSecond;
  results.anatomyMs = {
    // latin1, as the library hashes base64 strings
    sha256Base64String: await msPerCall(() => createHash('sha256').update(base64, 'latin1').digest('hex')),
    sha256Bytes: await msPerCall(() => createHash('sha256').update(jpeg).digest('hex')),
    isStrictBase64: await msPerCall(() => isStrictBase64(base64)),
    decodeBase64: await msPerCall(() => Buffer.from(base64, 'base64')),
  };
  return results;
}

/** Least-squares slope of `values` per step: the RSS trend once the allocator has warmed up. */
function slope(values) {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, value) => sum + value, 0) / n;
  let numerator = 0;
  let denominator = 0;
  values.forEach((value, index) => {
    numerator += (index - meanX) * (value - meanY);
    denominator += (index - meanX) ** 2;
  });
  return numerator / denominator;
}

/** Case 6: peak RSS of 100 distinct 12-MP renders in a child process, per allocator setting. */
async function benchRss(photoFiles) {
  const childScript = join(BENCH_DIR, 'rss-child.js');
  const { MALLOC_ARENA_MAX: _arena, BENCH_SHARP_CONCURRENCY: _concurrency, ...baseEnv } = process.env;
  const variants = {
    'glibc default': baseEnv,
    'MALLOC_ARENA_MAX=2': { ...baseEnv, MALLOC_ARENA_MAX: '2' },
    'MALLOC_ARENA_MAX=2 + bench sets sharp.concurrency(1)': {
      ...baseEnv,
      MALLOC_ARENA_MAX: '2',
      BENCH_SHARP_CONCURRENCY: '1',
    },
  };
  const results = {};
  for (const [name, env] of Object.entries(variants)) {
    log(`RSS child: ${name}`);
    const child = await runChild(childScript, [String(RSS_IMAGES), ...photoFiles], env);
    const after = child.afterEach;
    const steady = after.slice(RSS_WARM_IMAGES);
    results[name] = {
      ...child,
      afterFirst10: after[9],
      afterLast10: after[after.length - 1],
      peakFirst10: Math.max(...after.slice(0, 10)),
      peakLast10: Math.max(...after.slice(-10)),
      steadyMean: steady.reduce((sum, value) => sum + value, 0) / steady.length,
      /** bytes per 100 images, fitted over images RSS_WARM_IMAGES+1…100 */
      trendPer100: slope(steady) * 100,
    };
  }
  return results;
}

/** Byte-identical outputs prove the raw pipeline does exactly the library's sharp steps. */
async function checkEquivalence(inputs) {
  const checks = {};
  for (const input of inputs) {
    const library = await sightlineRender(input.data);
    const raw = await rawSharpRender(input.data, input.plan);
    const meta = await sharp(library).metadata();
    checks[input.key] = {
      identical: library.equals(raw),
      width: meta.width,
      height: meta.height,
      outputBytes: library.length,
    };
  }
  return checks;
}

function buildRows(inputs, render, jimp, probe, cache, rss) {
  const rows = [];
  const hasPillow = Object.keys(render.pillowStats).length > 0;
  for (const input of inputs) {
    const label = `1 ${input.label}: library render vs raw sharp`;
    rows.push(
      comparisonRow(label, render.rounds[input.key], 'sightline', 'raw', RENDER_TARGETS.sightlineVsRaw),
    );
  }
  for (const input of inputs) {
    const label = `1b ${input.key}: prepare() (file source, cacheBytes 0) vs raw sharp`;
    // Context for case 1 (which is judged): what the whole per-request path adds (SHA-256, validation).
    rows.push(comparisonRow(label, render.rounds[input.key], 'prepare', 'raw', undefined));
  }
  for (const input of inputs) {
    if (!hasPillow) {
      rows.push({ case: `2 ${input.key}: library vs Pillow`, alternative: 'n/a (Pillow not available)' });
      continue;
    }
    const label = `2 ${input.key}: library vs Pillow ${render.pillowVersion} (draft, LANCZOS)`;
    rows.push(
      comparisonRow(label, render.rounds[input.key], 'sightline', 'pillow', RENDER_TARGETS.pillow[input.key]),
    );
  }
  for (const input of inputs) {
    const result = jimp[input.key];
    if (result === null) {
      rows.push({
        case: `3 ${input.key}: library vs jimp`,
        alternative: input.format === 'webp' ? 'n/a (jimp has no WebP decoder)' : 'n/a (jimp worker failed)',
        ratio: 'n/a',
        target: 'n/a',
      });
      continue;
    }
    const label = `3 ${input.key}: library vs jimp ${jimp[input.key].calls} calls (default resize)`;
    rows.push(comparisonRow(label, [result.summary], 'sightline', 'jimp', RENDER_TARGETS.jimp[input.key]));
  }
  const probeLabel = '4 12-MP JPEG: probeImage vs full decode sharp(buf).raw()';
  rows.push(comparisonRow(probeLabel, probe, 'probe', 'decode', PROBE_TARGET, { unit: 'ops/s' }));
  for (const name of ['base64', 'file']) {
    const label = `5 12-MP JPEG, ${name} source: prepare() cache hit vs miss`;
    const options = { unit: 'ops/s', prefixes: ['hit ', 'miss '] };
    rows.push(comparisonRow(label, cache[name].rounds, 'hit', 'miss', CACHE_TARGET, options));
  }
  for (const [name, result] of Object.entries(rss)) {
    const trend = result.trendPer100 / result.steadyMean;
    const sign = result.trendPer100 >= 0 ? '+' : '-';
    rows.push({
      case: `6 RSS, ${RSS_IMAGES}× 12-MP render, child: ${name} (concurrency ${result.sharpConcurrency})`,
      sightline: `peak ${formatMiB(result.peakRss)} (idle ${formatMiB(result.baselineRss)}, ${formatRate(result.imagesPerSecond)})`,
      alternative:
        `after #10 ${formatMiB(result.afterFirst10)}, after #${RSS_IMAGES} ${formatMiB(result.afterLast10)}; ` +
        `max #1-10 ${formatMiB(result.peakFirst10)}, #91-100 ${formatMiB(result.peakLast10)}`,
      ratio: `trend #${RSS_WARM_IMAGES + 1}-${RSS_IMAGES}: ${sign}${formatMiB(Math.abs(result.trendPer100))}/100 img`,
      target: `peak < ${formatMiB(RSS_LIMIT_BYTES)}, trend < ${RSS_FLAT_TREND * 100}%/100 img`,
      met: result.peakRss < RSS_LIMIT_BYTES && trend < RSS_FLAT_TREND,
    });
  }
  return rows;
}

/** Diagnostics table: CPU milliseconds per image by stage, sharp (the raw pipeline) and Pillow. */
function formatStages(inputs, sharpStages, pillowStats) {
  const ms = (value) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(1));
  const rows = inputs.map((input) => {
    const stages = sharpStages[input.key];
    const pillow = pillowStats[input.key];
    const perCall = (stage) => (pillow ? pillow[stage] / pillow.calls : undefined);
    return {
      input: input.key,
      sharpPixels: ms(stages.raw),
      sharpEncode: ms(stages.png6 - stages.raw),
      sharpTotal: ms(stages.png6),
      sharpPng1: ms(stages.png1),
      pillowDecode: ms(perCall('decode')),
      pillowResize: ms(perCall('resizePad')),
      pillowEncode: ms(perCall('encode')),
      pillowTotal: pillow ? ms(perCall('decode') + perCall('resizePad') + perCall('encode')) : 'n/a',
    };
  });
  return formatTable(rows, [
    ['input', 'input'],
    ['sharpPixels', 'sharp decode+resize+pad'],
    ['sharpEncode', 'sharp PNG-6 encode'],
    ['sharpTotal', 'sharp total'],
    ['sharpPng1', 'sharp total w/ PNG-1'],
    ['pillowDecode', 'Pillow decode'],
    ['pillowResize', 'Pillow resize+pad'],
    ['pillowEncode', 'Pillow PNG-6 encode'],
    ['pillowTotal', 'Pillow total'],
  ]);
}

async function main() {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0];
  mkdirSync(OUT_DIR, { recursive: true });
  configureSharp(); // the library's global sharp settings (cache off, loader allow-list) apply to every variant
  const environment = describeEnvironment();
  log('generating inputs');
  const { inputs: generated, photoFiles } = await generateInputs(OUT_DIR, 4);
  const inputs = Object.entries(generated).map(([key, input]) => {
    const probe = probeImage(input.data);
    if (probe === null || probe.hasAlpha) throw new Error(`${key}: expected an opaque, probeable input`);
    const plan = planImage(probe.width, probe.height, STANDARD_PROFILE);
    return {
      key,
      format: probe.format,
      label: `${key} ${probe.width}×${probe.height}${probe.animated ? ' animated' : ''} → ${plan.canvasWidth}×${plan.canvasHeight}`,
      path: join(OUT_DIR, input.name),
      data: input.data,
      bytes: input.data.length,
      plan,
    };
  });
  const equivalence = await checkEquivalence(inputs);
  const pillow = await startWorker('pillow', PYTHON, [join(BENCH_DIR, 'pillow_render.py')], inputs);
  const render = await benchRender(inputs, pillow);
  render.pillowVersion = pillow?.version ?? null;
  pillow?.stop();
  const sharpStages = await benchSharpStages(inputs);
  const jpeg = generated.jpeg.data;
  const probe = await benchProbe(jpeg);
  const cache = await benchCache(jpeg);
  const jimpWorker = await startWorker('jimp', process.execPath, [join(BENCH_DIR, 'jimp-worker.js')], inputs);
  const jimp = await benchJimp(inputs, jimpWorker);
  jimpWorker?.stop();
  const rss = await benchRss(photoFiles);
  const rows = buildRows(inputs, render, jimp, probe, cache, rss);
  const seconds = (performance.now() - started) / 1000;

  const missed = rows.filter((row) => row.met === false);
  const loadAtEnd = os.loadavg()[0];
  const busy = Math.max(loadAtStart, loadAtEnd) > os.cpus().length;
  console.log(
    '\nSightline image pipeline benchmark (STANDARD_PROFILE 1568/1568, PNG view, compressionLevel 6)',
  );
  console.log(
    `node ${environment.node}, ${environment.cpus}, sharp ${environment.sharp} / libvips ${environment.libvips}, ` +
      `sharp.concurrency ${environment.sharpConcurrency}, UV_THREADPOOL_SIZE ${environment.uvThreadpoolSize}, ` +
      `MALLOC_ARENA_MAX ${environment.mallocArenaMax}, Pillow ${render.pillowVersion ?? 'n/a'}, jimp ${environment.jimp}`,
  );
  console.log(
    `1-min load average at start ${loadAtStart.toFixed(2)}, at end ${loadAtEnd.toFixed(2)} (${os.cpus().length} CPUs)` +
      (busy
        ? ' - WARNING: other processes competed for the CPUs; wall-time ratios are less reliable, see CPU ratios'
        : ''),
  );
  console.log('Inputs:');
  for (const input of inputs) {
    const check = equivalence[input.key];
    const pillowOut = render.pillowStats[input.key];
    console.log(
      `  ${input.label.padEnd(34)} ${(input.bytes / 1e6).toFixed(2)} MB; view ${input.plan.viewWidth}×${input.plan.viewHeight}` +
        ` (${input.plan.tokens} tokens); library PNG ${check.width}×${check.height} ${(check.outputBytes / 1e3).toFixed(0)} kB,` +
        ` raw sharp byte-identical: ${check.identical ? 'yes' : 'NO'}` +
        (pillowOut
          ? `; Pillow PNG ${pillowOut.width}×${pillowOut.height} ${(pillowOut.outputBytes / 1e3).toFixed(0)} kB`
          : ''),
    );
  }
  console.log(
    `\nCases 1-2: ${RENDER_ROUNDS} rounds × ${RENDER_BUDGET_MS} ms, variants interleaved in ${SLICE_MS} ms slices; ` +
      'rates are medians over rounds, ratios medians of per-round ratios (> 1 = Sightline faster).\n' +
      '"CPU" ratios compare CPU time per operation (user+system, all threads of the process: libvips threads count\n' +
      'against sharp), which other tenants of this shared machine disturb less than wall time. Targets use wall time.\n',
  );
  console.log(formatTable(rows));
  console.log(
    missed.length === 0
      ? '\nAll targets met.'
      : `\nMISSED ${missed.length} target(s):\n${missed.map((row) => `  MISSED: ${row.case} (${row.ratio}, target ${row.target})`).join('\n')}`,
  );
  const anatomy = cache.anatomyMs;
  console.log(
    `\nCache-hit anatomy (12-MP JPEG, ${(cache.base64.sourceBytes / 1e6).toFixed(2)} MB as base64): ` +
      `SHA-256 of the base64 string ${anatomy.sha256Base64String.toFixed(2)} ms, of the bytes ${anatomy.sha256Bytes.toFixed(2)} ms; ` +
      `miss-only: isStrictBase64 ${anatomy.isStrictBase64.toFixed(2)} ms, base64 decode ${anatomy.decodeBase64.toFixed(2)} ms.`,
  );
  console.log(
    '\nWhere the time goes (CPU ms per image, all threads; sharp = the raw pipeline, interleaved; Pillow = its worker):',
  );
  console.log(formatStages(inputs, sharpStages, render.pillowStats));
  console.log(`\nTotal bench time ${seconds.toFixed(0)} s. Results: bench/out/results.json`);

  const results = {
    generatedAt: new Date().toISOString(),
    seconds,
    environment: { ...environment, pillow: render.pillowVersion, loadAtStart, loadAtEnd },
    inputs: inputs.map(({ key, label, bytes, plan }) => ({ key, label, bytes, plan, ...equivalence[key] })),
    render: render.rounds,
    pillowStages: render.pillowStats,
    sharpStagesMs: sharpStages,
    jimp,
    probe,
    cache,
    rss: Object.fromEntries(
      Object.entries(rss).map(([name, { afterEach, ...rest }]) => [
        name,
        { ...rest, afterEachMiB: afterEach.map((value) => Math.round(value / 1048576)) },
      ]),
    ),
    table: rows,
    missed: missed.map((row) => row.case),
  };
  // the other parts of Sightline, each against its own alternative, in the same run
  results.server = await runServerBench();
  printServerBench(results.server);
  results.files = await runFilesBench();
  printFilesBench(results.files);
  results.operations = await runOperationsBench();
  printOperationsBench(results.operations);
  console.log('\nestimate (5,000 generated images: header probe vs decoding every image)');
  results.estimate = await runEstimateBench({ log: (line) => console.log(`  ${line}`) });
  const { estimate } = results;
  console.log(
    `  probe ${estimate.probe.imagesPerSecond} images/s, decode ${estimate.decode.imagesPerSecond} images/s: ${estimate.ratio}× (target ≥ ${estimate.target}×: ${estimate.ratio >= estimate.target ? 'met' : 'MISSED'}); token totals ${estimate.tokensAgree ? 'agree' : 'DIFFER'}`,
  );
  console.log('\nrepair mode (repair vs refusal; history trimming)');
  results.repair = await runRepairBench({ log: (line) => console.log(`  ${line}`) });
  writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error) => {
  // Missed targets exit 0; a benchmark that could not measure at all is an error.
  console.error('bench failed:', error);
  process.exitCode = 1;
});
