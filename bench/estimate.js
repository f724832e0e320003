// `sightline estimate` benchmark: header probes vs. fully decoding every image (sharp .raw()) over 5,000
// generated JPEG/PNG/WebP/GIF files. Needs `npm run build`; run alone with `node bench/estimate.js`.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { collectEstimates } from '../dist/src/cli/commands/estimate.js';
import { findFiles } from '../dist/src/cli/find-files.js';
import { createCatalog, planImage } from '../dist/src/index.js';
import { createRandom } from './inputs.js'; // mulberry32: the same corpus on every machine

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(BENCH_DIR, 'out', 'estimate-corpus');
const MARKER = join(CORPUS_DIR, '.corpus.json'); // hidden: estimate's walk skips it
const CORPUS_VERSION = 1;
const FORMATS = ['jpeg', 'png', 'webp', 'gif'];
const PER_DIRECTORY = 500;
const TARGET_RATIO = 50;

/** Runs `task(item)` over `items`, `concurrency` at a time. */
async function forEachPooled(items, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Sides log-uniform in 50–2000 px (many small images, some large), formats in turn, a colour block each. */
function corpusPlan(count) {
  const random = createRandom(20260101);
  const side = () => Math.round(50 * 40 ** random());
  return Array.from({ length: count }, (_, index) => {
    const format = FORMATS[index % FORMATS.length];
    const extension = format === 'jpeg' ? 'jpg' : format;
    const directory = `batch-${String(Math.floor(index / PER_DIRECTORY)).padStart(2, '0')}`;
    return {
      path: join(CORPUS_DIR, directory, `image-${String(index).padStart(5, '0')}.${extension}`),
      format,
      width: side(),
      height: side(),
      colour: [random() * 255, random() * 255, random() * 255].map(Math.round),
    };
  });
}

async function encode(entry) {
  const [r, g, b] = entry.colour;
  const overlay = await sharp({
    create: {
      width: Math.max(1, entry.width >> 1),
      height: Math.max(1, entry.height >> 1),
      channels: 3,
      background: { r: 255 - r, g: 255 - g, b: 255 - b },
    },
  })
    .png()
    .toBuffer();
  const image = sharp({
    create: { width: entry.width, height: entry.height, channels: 3, background: { r, g, b } },
  }).composite([{ input: overlay, top: entry.height >> 2, left: entry.width >> 2 }]);
  if (entry.format === 'jpeg') return image.jpeg({ quality: 80 }).toBuffer();
  if (entry.format === 'png') return image.png().toBuffer();
  if (entry.format === 'webp') return image.webp({ quality: 75 }).toBuffer();
  return image.gif().toBuffer();
}

/** Writes the corpus unless the same one (count and version) is already there. */
export async function ensureCorpus(count, log = () => {}) {
  if (existsSync(MARKER)) {
    const marker = JSON.parse(readFileSync(MARKER, 'utf8'));
    if (marker.count === count && marker.version === CORPUS_VERSION) return corpusPlan(count);
  }
  await rm(CORPUS_DIR, { recursive: true, force: true });
  const plan = corpusPlan(count);
  for (const directory of new Set(plan.map((entry) => dirname(entry.path))))
    await mkdir(directory, { recursive: true });
  const started = performance.now();
  let written = 0;
  await forEachPooled(plan, os.availableParallelism() * 2, async (entry) => {
    await writeFile(entry.path, await encode(entry));
    written += 1;
    if (written % 1000 === 0) log(`  generated ${written}/${count} images`);
  });
  await writeFile(MARKER, JSON.stringify({ count, version: CORPUS_VERSION }));
  log(`  generated ${count} images in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return plan;
}

/** The decoding estimate: every image decoded to raw pixels (first frame) for its size. */
async function estimateByDecoding(paths, models) {
  const totals = new Map(models.map((model) => [model.id, 0]));
  const sizes = new Map();
  await forEachPooled(paths, os.availableParallelism() * 2, async (path) => {
    try {
      // from a buffer, as the library decodes: file-path loading is blocked by its loader allow-list
      const { info } = await sharp(await readFile(path))
        .raw()
        .toBuffer({ resolveWithObject: true });
      sizes.set(path, [info.width, info.height]);
      for (const model of models)
        totals.set(model.id, totals.get(model.id) + planImage(info.width, info.height, model.profile).tokens);
    } catch {
      sizes.set(path, null);
    }
  });
  return { totals, sizes };
}

const rate = (images, milliseconds) => images / (milliseconds / 1000);

/** Times both estimates over the corpus; returns images/s for each, the ratio and whether they agree. */
export async function runEstimateBench({ count = 5000, rounds = 3, log = () => {} } = {}) {
  await ensureCorpus(count, log);
  const models = createCatalog().models;
  const { files } = await findFiles([CORPUS_DIR], CORPUS_DIR);
  const images = files.length;

  // header probes, through the command's own core (walk + probe + totals), best of `rounds`
  let probeMs = Number.POSITIVE_INFINITY;
  let collected;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    collected = await collectEstimates([CORPUS_DIR], { cwd: CORPUS_DIR, models });
    probeMs = Math.min(probeMs, performance.now() - started);
  }

  // full decodes, once (it is the slow side)
  const decodeStarted = performance.now();
  const decoded = await estimateByDecoding(files, models);
  const decodeMs = performance.now() - decodeStarted;

  const agree = collected.summary.models.every((total) => total.tokens === decoded.totals.get(total.model));
  const probeRate = rate(images, probeMs);
  const decodeRate = rate(images, decodeMs);
  return {
    images,
    accepted: collected.summary.accepted,
    probe: { milliseconds: Number(probeMs.toFixed(1)), imagesPerSecond: Math.round(probeRate) },
    decode: { milliseconds: Number(decodeMs.toFixed(1)), imagesPerSecond: Math.round(decodeRate) },
    ratio: Number((probeRate / decodeRate).toFixed(1)),
    target: TARGET_RATIO,
    tokensAgree: agree,
  };
}

async function main() {
  const count = Number(process.env.SIGHTLINE_ESTIMATE_BENCH_IMAGES ?? 5000);
  console.log(`sightline estimate benchmark: ${count} images in ${CORPUS_DIR}`);
  const result = await runEstimateBench({ count, log: (line) => console.log(line) });
  console.log(
    `  header probe (estimate): ${result.probe.imagesPerSecond} images/s (${result.probe.milliseconds} ms)`,
  );
  console.log(
    `  full decode (sharp raw): ${result.decode.imagesPerSecond} images/s (${result.decode.milliseconds} ms)`,
  );
  console.log(
    `  ratio: ${result.ratio}x (target ≥ ${result.target}x: ${result.ratio >= result.target ? 'met' : 'missed'}); token totals ${result.tokensAgree ? 'agree' : 'DIFFER'}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
