// jimp side of the benchmark, as a worker process (protocol in worker.js): read (first frame for GIF),
// resize (jimp's default algorithm; it has no Lanczos), pad right/bottom with black, PNG deflate level 6.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Jimp } from 'jimp';

export async function jimpRender(bytes, job) {
  const image = await Jimp.read(bytes);
  if (job.resized) image.resize({ w: job.viewWidth, h: job.viewHeight });
  const canvas = new Jimp({ width: job.canvasWidth, height: job.canvasHeight, color: 0x000000ff });
  canvas.composite(image, 0, 0);
  return canvas.getBuffer('image/png', { deflateLevel: 6, colorType: 2 }); // RGB, like the others
}

const jobs = new Map(JSON.parse(readFileSync(process.argv[2], 'utf8')).map((job) => [job.key, job]));
const inputs = new Map([...jobs.values()].map((job) => [job.key, readFileSync(job.path)]));
const version = JSON.parse(
  readFileSync(new URL('../node_modules/jimp/package.json', import.meta.url)),
).version;
process.stdout.write(`${JSON.stringify({ ready: true, version })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const { key, sliceMs } = JSON.parse(line);
  let calls = 0;
  let ms = 0;
  let output;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  do {
    output = await jimpRender(inputs.get(key), jobs.get(key));
    calls += 1;
    ms = performance.now() - start;
  } while (ms < sliceMs);
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify({ calls, ms, cpuMs, outputBytes: output.length })}\n`);
}
