// Sightline image-pipeline benchmark (pipeline-notes.md §3 reproduced with the built library): prints a
// table of measured ratios and writes bench/out/results.json. A measurement, not a test: always exits 0.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createImagePipeline, planImage, probeImage, STANDARD_PROFILE } from '../dist/src/index.js';
// Not re-exported at the package root; the same module instance the library uses.
import { configureSharp } from '../dist/src/imaging/index.js';
import { generateInputs } from './inputs.js';
import {
  fullDecode,
  jimpRender,
  rawSharpRender,
  sightlinePrepare,
  sightlineRender,
  TARGET,
} from './pipelines.js';
import { formatMiB, formatRate, formatRateAndTime, formatRatio, formatTable } from './report.js';
import { measureRate, median, rotate } from './timing.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(BENCH_DIR, 'out');
const PYTHON = '/usr/bin/python3';

/** Time budgets: sized so the whole run stays well under 4 minutes on 2 shared cores. */
const RENDER_ROUNDS = 5;
const RENDER_BUDGET_MS = 800;
const PROBE_ROUNDS = 3;
const CACHE_ROUNDS = 3;
const JIMP_ITERATIONS = 3;
const RSS_IMAGES = 100;
const RSS_LIMIT_BYTES = 400 * 1024 * 1024;
const RSS_FLAT_FACTOR = 1.15;

const RENDER_TARGETS = { sightlineVsRaw: 0.9, pillow: { jpeg: 2.5, png: 5 }, jimp: { jpeg: 20 } };
const PROBE_TARGET = 100;
const CACHE_TARGET = 50;

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const meets = (value, target) => (target === undefined ? null : value >= target);

function runPython(args) {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

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

/** Cases 1 and 2: Sightline vs raw sharp (same process) and vs Pillow (child), rounds interleaved. */
async function benchRender(inputs) {
  const pipeline = createImagePipeline({ cacheBytes: 0 });
  const variants = {
    sightline: (input) => sightlineRender(input.data),
    prepare: (input) => sightlinePrepare(pipeline, input.data),
    raw: (input) => rawSharpRender(input.data, input.plan),
  };
  const pillowJobs = {
    budgetMs: RENDER_BUDGET_MS,
    minIterations: 3,
    warmup: 1,
    jobs: inputs.map((input) => ({ key: input.key, path: input.path, ...input.plan })),
  };
  const jobsPath = join(OUT_DIR, 'pillow-jobs.json');
  writeFileSync(jobsPath, JSON.stringify(pillowJobs));
  const samples = Object.fromEntries(
    inputs.map((input) => [input.key, { sightline: [], prepare: [], raw: [], pillow: [] }]),
  );
  let pillowVersion = null;
  let pillowError = null;
  let pillowSizes = {};
  for (let round = 0; round < RENDER_ROUNDS; round += 1) {
    log(`render round ${round + 1}/${RENDER_ROUNDS}`);
    for (const input of inputs) {
      for (const name of rotate(Object.keys(variants), round)) {
        const rate = await measureRate(() => variants[name](input), {
          budgetMs: RENDER_BUDGET_MS,
          minIterations: 3,
        });
        samples[input.key][name].push(rate.opsPerSecond);
      }
    }
    if (pillowError === null) {
      try {
        const pillow = await runPython([join(BENCH_DIR, 'pillow_render.py'), jobsPath]);
        pillowVersion = pillow.pillow;
        for (const [key, result] of Object.entries(pillow.results)) {
          samples[key].pillow.push(result.opsPerSecond);
          pillowSizes[key] = { width: result.width, height: result.height, outputBytes: result.outputBytes };
        }
      } catch (error) {
        pillowError = String(error.message).split('\n').slice(0, 3).join(' ');
        pillowSizes = {};
        log(`Pillow unavailable: ${pillowError}`);
      }
    }
  }
  return { samples, pillowVersion, pillowError, pillowSizes };
}

/** Case 3: jimp, few iterations (it is slow); no WebP decoder. */
async function benchJimp(inputs) {
  const results = {};
  for (const input of inputs) {
    if (input.format === 'webp') {
      results[input.key] = null;
      continue;
    }
    log(`jimp ${input.key}`);
    const rate = await measureRate(() => jimpRender(input.data, input.plan), {
      budgetMs: 0,
      minIterations: JIMP_ITERATIONS,
      warmup: 1,
    });
    results[input.key] = rate.opsPerSecond;
  }
  return results;
}

/** Case 4: header probe vs full decode of the 12-MP JPEG, alternating rounds. */
async function benchProbe(jpeg) {
  const probes = [];
  const decodes = [];
  const batch = 2000;
  for (let round = 0; round < PROBE_ROUNDS; round += 1) {
    log(`probe round ${round + 1}/${PROBE_ROUNDS}`);
    const probe = await measureRate(
      () => {
        for (let index = 0; index < batch; index += 1) probeImage(jpeg);
      },
      { budgetMs: 300, opsPerCall: batch },
    );
    const decode = await measureRate(() => fullDecode(jpeg), { budgetMs: 1000, minIterations: 3 });
    probes.push(probe.opsPerSecond);
    decodes.push(decode.opsPerSecond);
  }
  return { probe: probes, decode: decodes };
}

/** Case 5: cache hit vs miss through pipeline.prepare, for a base64 and a file source. */
async function benchCache(jpeg) {
  const base64 = jpeg.toString('base64');
  const sources = {
    base64: { kind: 'base64', mediaType: 'image/jpeg', data: base64 },
    file: { kind: 'file', bytes: jpeg },
  };
  const results = {};
  for (const [name, source] of Object.entries(sources)) {
    const pipeline = createImagePipeline();
    const images = [{ path: 'messages.0.content.0', source }];
    const misses = [];
    const hits = [];
    for (let round = 0; round < CACHE_ROUNDS; round += 1) {
      log(`cache ${name} round ${round + 1}/${CACHE_ROUNDS}`);
      const miss = await measureRate(
        async () => {
          pipeline.clearCache();
          await pipeline.prepare(images, TARGET);
        },
        { budgetMs: 1000, minIterations: 3 },
      );
      const hitsBefore = pipeline.cacheStats.hits;
      // The warm-up call renders once; every timed call after it must be a cache hit.
      const hit = await measureRate(() => pipeline.prepare(images, TARGET), { budgetMs: 400, warmup: 2 });
      const hitCount = pipeline.cacheStats.hits - hitsBefore;
      if (hitCount < hit.calls) throw new Error(`cache ${name}: ${hitCount} hits for ${hit.calls} calls`);
      misses.push(miss.opsPerSecond);
      hits.push(hit.opsPerSecond);
    }
    results[name] = { miss: misses, hit: hits, base64Bytes: name === 'base64' ? base64.length : null };
  }
  return results;
}

/** Case 6: peak RSS of 100 distinct 12-MP renders in a child process, per allocator setting. */
async function benchRss(photoFiles) {
  const childScript = join(BENCH_DIR, 'rss-child.js');
  const { MALLOC_ARENA_MAX: _unused, ...baseEnv } = process.env;
  const variants = {
    'glibc default': baseEnv,
    'MALLOC_ARENA_MAX=2': { ...baseEnv, MALLOC_ARENA_MAX: '2' },
  };
  const results = {};
  for (const [name, env] of Object.entries(variants)) {
    log(`RSS child: ${name}`);
    const child = await runChild(childScript, [String(RSS_IMAGES), ...photoFiles], env);
    const after = child.afterEach;
    results[name] = {
      ...child,
      afterFirst10: after[9],
      afterLast10: after[after.length - 1],
      peakFirst10: Math.max(...after.slice(0, 10)),
      peakLast10: Math.max(...after.slice(-10)),
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
  const { samples, pillowError } = render;
  const sightlineMedian = (key) => median(samples[key].sightline);
  const pairedRatio = (key, other) =>
    median(samples[key].sightline.map((value, round) => value / samples[key][other][round]));
  for (const input of inputs) {
    const ratio = pairedRatio(input.key, 'raw');
    rows.push({
      case: `1 render ${input.label}: library vs raw sharp`,
      sightline: formatRateAndTime(sightlineMedian(input.key)),
      alternative: formatRateAndTime(median(samples[input.key].raw)),
      ratio: formatRatio(ratio),
      target: `≥ ${RENDER_TARGETS.sightlineVsRaw}×`,
      met: meets(ratio, RENDER_TARGETS.sightlineVsRaw),
    });
  }
  for (const input of inputs) {
    const ratio = median(
      samples[input.key].prepare.map((value, round) => value / samples[input.key].raw[round]),
    );
    rows.push({
      case: `1b prepare() ${input.key} (file source, cacheBytes 0) vs raw sharp`,
      sightline: formatRateAndTime(median(samples[input.key].prepare)),
      alternative: formatRateAndTime(median(samples[input.key].raw)),
      ratio: formatRatio(ratio),
      target: `≥ ${RENDER_TARGETS.sightlineVsRaw}×`,
      met: meets(ratio, RENDER_TARGETS.sightlineVsRaw),
    });
  }
  for (const input of inputs) {
    const target = RENDER_TARGETS.pillow[input.key];
    if (pillowError !== null) {
      rows.push({ case: `2 ${input.key}: vs Pillow`, sightline: '', alternative: 'n/a (Pillow failed)' });
      continue;
    }
    const ratio = pairedRatio(input.key, 'pillow');
    rows.push({
      case: `2 ${input.key}: library vs Pillow ${render.pillowVersion} (draft, LANCZOS)`,
      sightline: formatRateAndTime(sightlineMedian(input.key)),
      alternative: formatRateAndTime(median(samples[input.key].pillow)),
      ratio: formatRatio(ratio),
      target: target === undefined ? 'info' : `≥ ${target}×`,
      met: meets(ratio, target),
    });
  }
  for (const input of inputs) {
    const target = RENDER_TARGETS.jimp[input.key];
    const jimpRate = jimp[input.key];
    if (jimpRate === null) {
      rows.push({
        case: `3 ${input.key}: library vs jimp`,
        sightline: formatRateAndTime(sightlineMedian(input.key)),
        alternative: 'n/a (jimp has no WebP decoder)',
        ratio: 'n/a',
        target: 'n/a',
      });
      continue;
    }
    const ratio = sightlineMedian(input.key) / jimpRate;
    rows.push({
      case: `3 ${input.key}: library vs jimp (${JIMP_ITERATIONS} iterations)`,
      sightline: formatRateAndTime(sightlineMedian(input.key)),
      alternative: formatRateAndTime(jimpRate),
      ratio: formatRatio(ratio),
      target: target === undefined ? 'info' : `≥ ${target}×`,
      met: meets(ratio, target),
    });
  }
  const probeRatio = median(probe.probe.map((value, round) => value / probe.decode[round]));
  rows.push({
    case: '4 probeImage vs full decode sharp(buf).raw(), 12-MP JPEG',
    sightline: formatRateAndTime(median(probe.probe), 'ops/s'),
    alternative: formatRateAndTime(median(probe.decode), 'ops/s'),
    ratio: formatRatio(probeRatio),
    target: `≥ ${PROBE_TARGET}×`,
    met: meets(probeRatio, PROBE_TARGET),
  });
  for (const [name, result] of Object.entries(cache)) {
    const ratio = median(result.hit.map((value, round) => value / result.miss[round]));
    rows.push({
      case: `5 prepare() 12-MP JPEG, ${name} source: cache hit vs miss`,
      sightline: `hit ${formatRateAndTime(median(result.hit), 'ops/s')}`,
      alternative: `miss ${formatRateAndTime(median(result.miss), 'ops/s')}`,
      ratio: formatRatio(ratio),
      target: `≥ ${CACHE_TARGET}×`,
      met: meets(ratio, CACHE_TARGET),
    });
  }
  for (const [name, result] of Object.entries(rss)) {
    const growth = result.afterLast10 / result.afterFirst10;
    rows.push({
      case: `6 RSS, ${RSS_IMAGES}× 12-MP render in a child, ${name} (sharp concurrency ${result.sharpConcurrency})`,
      sightline: `peak ${formatMiB(result.peakRss)} (start ${formatMiB(result.baselineRss)}, ${formatRate(result.imagesPerSecond)})`,
      alternative: `after #10 ${formatMiB(result.afterFirst10)}, after #${RSS_IMAGES} ${formatMiB(result.afterLast10)}`,
      ratio: `${formatRatio(growth)} growth`,
      target: `peak < ${formatMiB(RSS_LIMIT_BYTES)}, growth ≤ ${RSS_FLAT_FACTOR}×`,
      met: result.peakRss < RSS_LIMIT_BYTES && growth <= RSS_FLAT_FACTOR,
    });
  }
  return rows;
}

async function main() {
  const started = performance.now();
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
  const render = await benchRender(inputs);
  const jpeg = generated.jpeg.data;
  const probe = await benchProbe(jpeg);
  const cache = await benchCache(jpeg);
  const jimp = await benchJimp(inputs);
  const rss = await benchRss(photoFiles);
  const rows = buildRows(inputs, render, jimp, probe, cache, rss);
  const seconds = (performance.now() - started) / 1000;

  const missed = rows.filter((row) => row.met === false);
  console.log('\nSightline image pipeline benchmark (STANDARD_PROFILE 1568/1568, PNG view, compressionLevel 6)');
  console.log(
    `node ${environment.node}, ${environment.cpus}, sharp ${environment.sharp} / libvips ${environment.libvips}, ` +
      `sharp.concurrency ${environment.sharpConcurrency}, UV_THREADPOOL_SIZE ${environment.uvThreadpoolSize}, ` +
      `MALLOC_ARENA_MAX ${environment.mallocArenaMax}, Pillow ${render.pillowVersion ?? 'n/a'}, jimp ${environment.jimp}`,
  );
  console.log('Inputs:');
  for (const input of inputs) {
    const check = equivalence[input.key];
    const pillow = render.pillowSizes[input.key];
    console.log(
      `  ${input.label.padEnd(44)} ${(input.bytes / 1e6).toFixed(2)} MB in, view ${input.plan.viewWidth}×${input.plan.viewHeight}` +
        ` (${input.plan.tokens} tokens), library output ${check.width}×${check.height} ${(check.outputBytes / 1e3).toFixed(0)} kB,` +
        ` raw sharp byte-identical: ${check.identical ? 'yes' : 'NO'}` +
        (pillow ? `, Pillow ${pillow.width}×${pillow.height} ${(pillow.outputBytes / 1e3).toFixed(0)} kB` : ''),
    );
  }
  console.log(
    `Rates are medians of ${RENDER_ROUNDS} interleaved rounds (${RENDER_BUDGET_MS} ms each, after warm-up); ratios are medians of per-round ratios (higher = Sightline better).\n`,
  );
  console.log(formatTable(rows));
  console.log(
    missed.length === 0
      ? '\nAll targets met.'
      : `\nMISSED ${missed.length} target(s):\n${missed.map((row) => `  MISSED: ${row.case} (${row.ratio}, target ${row.target})`).join('\n')}`,
  );
  console.log(`\nTotal bench time ${seconds.toFixed(0)} s. Results: ${join('bench', 'out', 'results.json')}`);

  const results = {
    generatedAt: new Date().toISOString(),
    seconds,
    environment: { ...environment, pillow: render.pillowVersion, pillowError: render.pillowError },
    inputs: inputs.map(({ key, label, bytes, plan }) => ({ key, label, bytes, plan, ...equivalence[key] })),
    render: render.samples,
    pillowOutputs: render.pillowSizes,
    jimp,
    probe,
    cache,
    rss: Object.fromEntries(
      Object.entries(rss).map(([name, { afterEach, ...rest }]) => [name, { ...rest, afterEachMiB: afterEach.map((value) => Math.round(value / 1048576)) }]),
    ),
    table: rows,
    missed: missed.map((row) => row.case),
  };
  writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error) => {
  // Missed targets exit 0; a benchmark that could not measure at all is an error.
  console.error('bench failed:', error);
  process.exitCode = 1;
});
