// Files API benchmark: upload throughput through Sightline (multipart over loopback, streamed to a
// content-addressed blob with fsync) against copying the same bytes with `cp` (+ sync), and the
// server's memory while a 400 MB file is uploaded. A measurement, not a test.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer } from '../dist/test/support/process.js';

const SIZE = 400 * 1024 * 1024;

function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

function upload(url, path, size) {
  const boundary = `----bench${randomBytes(6).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const upload = request(`${url}/v1/files`, {
      method: 'POST',
      headers: {
        'x-api-key': 'bench',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    upload.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(body)),
      );
    });
    upload.on('error', reject);
    upload.write(head);
    const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
    file.pipe(upload, { end: false });
    file.on('end', () => upload.end(tail));
  });
}

export async function runFilesBench() {
  const work = join(tmpdir(), `sightline-files-bench-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const source = join(work, 'source.bin');
  // incompressible content, written in 8 MiB pieces (never held whole in memory)
  const piece = randomBytes(8 * 1024 * 1024);
  writeFileSync(source, '');
  for (let written = 0; written < SIZE; written += piece.length) writeFileSync(source, piece, { flag: 'a' });
  const server = await spawnServer(['--data-dir', join(work, 'data')]);
  try {
    const baseline = rssMiB(server.child.pid);
    const samples = [];
    const sampler = setInterval(() => samples.push(rssMiB(server.child.pid)), 50);
    const uploadMs = await upload(server.url, source, statSync(source).size);
    clearInterval(sampler);
    // cp then sync: the same bytes made durable, as the upload's fsync makes them
    const copyStarted = performance.now();
    execFileSync('cp', [source, join(work, 'copy.bin')]);
    execFileSync('sync', [join(work, 'copy.bin')]);
    const copyMs = performance.now() - copyStarted;
    const mib = SIZE / 1024 / 1024;
    return {
      size_mib: mib,
      upload_mib_s: mib / (uploadMs / 1000),
      cp_mib_s: mib / (copyMs / 1000),
      ratio: copyMs / uploadMs,
      rss_before_mib: baseline,
      rss_peak_mib: Math.max(baseline, ...samples),
      rss_growth_mib: Math.max(baseline, ...samples) - baseline,
    };
  } finally {
    server.child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

export function printFilesBench(results) {
  console.log('\nFiles API (400 MB upload over loopback vs cp + sync of the same bytes)');
  console.log(
    `  upload ${results.upload_mib_s.toFixed(0)} MiB/s, cp ${results.cp_mib_s.toFixed(0)} MiB/s: upload/cp throughput ${results.ratio.toFixed(2)}×`,
  );
  console.log(
    `  server RSS: ${results.rss_before_mib.toFixed(0)} MiB before, ${results.rss_peak_mib.toFixed(0)} MiB peak (+${results.rss_growth_mib.toFixed(0)} MiB while receiving ${results.size_mib} MiB): ${results.rss_growth_mib < 64 ? 'flat' : 'GROWING'}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runFilesBench();
  printFilesBench(results);
  console.log(JSON.stringify(results));
}
