// Case 6 child process: renders COUNT distinct 12-MP JPEGs in sequence through the library (cache off)
// and samples RSS every 2 ms. Usage: node rss-child.js COUNT file.jpg...; prints one JSON line.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
// Not re-exported at the package root; the same module instance the library uses.
import { configureSharp } from '../dist/src/imaging/index.js';
import { planImage, probeImage, renderModelView, STANDARD_PROFILE } from '../dist/src/index.js';

const count = Number(process.argv[2]);
const sources = process.argv.slice(3).map((path) => readFileSync(path));

/** The same JPEG with a COM segment carrying `index` after SOI: a distinct buffer, same pixels. */
function withComment(jpeg, index) {
  const text = Buffer.from(`sightline bench image ${index}`, 'latin1');
  const header = Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, text, jpeg.subarray(2)]);
}

configureSharp();
// Bench knob, not a library setting: pin libvips threads per image (sharp raises them with MALLOC_ARENA_MAX).
if (process.env.BENCH_SHARP_CONCURRENCY) sharp.concurrency(Number(process.env.BENCH_SHARP_CONCURRENCY));
const rss = () => process.memoryUsage.rss();
const baselineRss = rss();
let peakRss = baselineRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rss());
}, 2);
const afterEach = [];
const start = performance.now();
for (let index = 0; index < count; index += 1) {
  const bytes = withComment(sources[index % sources.length], index);
  const probe = probeImage(bytes);
  const plan = planImage(probe.width, probe.height, STANDARD_PROFILE);
  await renderModelView(bytes, plan, probe.hasAlpha);
  const now = rss();
  peakRss = Math.max(peakRss, now);
  afterEach.push(now);
}
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({
    count,
    seconds,
    imagesPerSecond: count / seconds,
    sharpConcurrency: sharp.concurrency(),
    baselineRss,
    peakRss,
    afterEach,
  })}\n`,
);
