// Repair mode benchmark: repairing a 12-MP JPEG over the per-image byte limit vs refusing it, and history
// trimming of long screenshot sessions (a 30 MB request over the image count; a 45 MB one over 32 MB).
// Needs `npm run build`; run alone with `node bench/repair.js`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { DEFAULT_VISION_RULES, maxImageBytesFor } from '../dist/src/imaging/index.js';
import { createImagePipeline, planImage, STANDARD_PROFILE } from '../dist/src/index.js';
import { repairRequest } from '../dist/src/repair/index.js';
import { parseMessagesRequest } from '../dist/src/server/parse-messages-request.js';
import { base64Image } from '../dist/test/support/messages.js';
import { createRandom, photoPixels } from './inputs.js';
import { median } from './timing.js';

const MiB = 1024 * 1024;
const LIMITS = {
  maxImageBytes: maxImageBytesFor(DEFAULT_VISION_RULES), // 10 MiB on the Claude API (2026-09)
  maxSide: 8000,
  manyImagesThreshold: 20,
  manyImagesMaxSide: 2000,
  maxImages: 100,
  maxRequestBytes: 32 * MiB,
};
const base64Length = (bytes) => 4 * Math.ceil(bytes / 3);

/** A 4000×3000 photo-like JPEG whose base64 is over the byte limit (and under the 32 MB request limit). */
async function heavyPhoto() {
  for (const noise of [48, 96, 160]) {
    const raw = photoPixels(4000, 3000, 11, noise);
    for (const quality of [90, 95, 98, 100]) {
      const jpeg = await sharp(raw, { raw: { width: 4000, height: 3000, channels: 3 } })
        .jpeg({ quality })
        .toBuffer();
      if (base64Length(jpeg.length) > LIMITS.maxImageBytes) return { jpeg, quality };
    }
  }
  throw new Error('could not make a JPEG over the limit');
}

const requestWith = (blocks) => ({
  model: 'm',
  max_tokens: 1,
  messages: [{ role: 'user', content: [...blocks, { type: 'text', text: 'What is this?' }] }],
});

/** Repairs a request with fresh pipeline state (no cache hits between rounds). */
async function repair(body, settings) {
  const pipeline = createImagePipeline({ cacheBytes: 1 });
  const { images } = parseMessagesRequest(body, 'create');
  return repairRequest({
    body,
    images,
    bodyBytes: Buffer.byteLength(JSON.stringify(body)),
    settings: { keepRecentScreenshots: 3, ...settings },
    limits: LIMITS,
    decode: (source) => pipeline.decodeSource(source),
    viewSize: (width, height) => {
      const plan = planImage(width, height, STANDARD_PROFILE, DEFAULT_VISION_RULES);
      return { width: plan.viewWidth, height: plan.viewHeight };
    },
  });
}

async function timeRounds(rounds, task) {
  const times = [];
  let last;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    last = await task();
    times.push(performance.now() - start);
  }
  return { ms: Math.round(median(times)), last };
}

/** `count` turns of 1920×1080 JPEG screenshots (a UI with rows of text; a status line differs per turn). */
async function session(count, detail) {
  const width = 1920;
  const height = 1080;
  const base = Buffer.alloc(width * height * 3, 240);
  const random = createRandom(5);
  for (let row = 60; row < height - 60; row += 18) {
    if (random() > detail) continue;
    for (let y = row; y < row + 11; y += 1)
      for (let x = 300; x < width - 100; x += 1)
        if (random() < 0.3)
          base.fill(Math.floor(random() * 80), (y * width + x) * 3, (y * width + x) * 3 + 3);
  }
  const messages = [{ role: 'user', content: 'Book the 9:40 train.' }];
  for (let turn = 1; turn <= count; turn += 1) {
    const raw = Buffer.from(base);
    const noise = createRandom(turn);
    for (let y = height - 20; y < height - 8; y += 1)
      for (let x = 10; x < 410; x += 1)
        raw.fill(Math.floor(noise() * 128), (y * width + x) * 3, (y * width + x) * 3 + 3);
    const jpeg = await sharp(raw, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `toolu_${turn}`, name: 'computer', input: { action: 'screenshot' } }],
    });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: `toolu_${turn}`, content: [base64Image(jpeg, 'image/jpeg')] },
      ],
    });
  }
  return { model: 'm', max_tokens: 1, messages };
}

/** Builds a session of about `targetBytes`: the text density whose size comes closest, then the turns. */
async function sessionOfSize(targetBytes, count) {
  let best;
  for (const detail of [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.45, 0.6, 0.8, 1]) {
    const perTurn = Buffer.byteLength(JSON.stringify(await session(1, detail)));
    const distance = Math.abs(perTurn * count - targetBytes);
    if (!best || distance < best.distance) best = { detail, distance };
  }
  return session(count, best.detail);
}

export async function runRepairBench({ log = console.log } = {}) {
  const results = {};
  // 1. a 12-MP JPEG over the byte limit: refuse (what Claude does) vs repair
  const { jpeg, quality } = await heavyPhoto();
  const body = requestWith([base64Image(jpeg, 'image/jpeg')]);
  const refuse = await timeRounds(5, async () => {
    const pipeline = createImagePipeline({ cacheBytes: 1 });
    const { images } = parseMessagesRequest(body, 'create');
    try {
      pipeline.validate(
        images.map((ref) => ({
          path: ref.path,
          source: { kind: 'base64', mediaType: ref.block.source.media_type, data: ref.block.source.data },
        })),
        { id: 'm', profile: STANDARD_PROFILE, maxImages: 100 },
      );
      return 'accepted';
    } catch (error) {
      return error.message;
    }
  });
  const repaired = await timeRounds(3, () => repair(body, { images: true, history: false }));
  const [change] = repaired.last.repairs;
  results.oversizedJpeg = {
    input: {
      width: 4000,
      height: 3000,
      quality,
      base64Bytes: base64Length(jpeg.length),
      limit: LIMITS.maxImageBytes,
    },
    refuseMs: refuse.ms,
    refusal: refuse.last,
    repairMs: repaired.ms,
    repair: change,
  };
  log(
    `12-MP JPEG (q${quality}, ${(base64Length(jpeg.length) / MiB).toFixed(1)} MiB base64 > ${(LIMITS.maxImageBytes / MiB).toFixed(0)} MiB): refuse ${refuse.ms} ms, repair ${repaired.ms} ms (${change.action} to ${change.after.width}x${change.after.height}, ${(change.after.bytes / MiB).toFixed(2)} MiB)`,
  );

  // 2. history trimming: a 30 MB session of 150 screenshots (over 100 images), and 100 screenshots over 32 MB
  for (const [name, targetBytes, count] of [
    ['session30MB', 30 * 1000 * 1000, 150],
    ['session45MB', 45 * 1000 * 1000, 100],
  ]) {
    const sessionBody = await sessionOfSize(targetBytes, count);
    const before = Buffer.byteLength(JSON.stringify(sessionBody));
    const trimmed = await timeRounds(3, () => repair(sessionBody, { images: false, history: true }));
    const after = Buffer.byteLength(JSON.stringify(trimmed.last.body));
    const actions = {};
    for (const change of trimmed.last.repairs) actions[change.action] = (actions[change.action] ?? 0) + 1;
    results[name] = {
      images: count,
      bytesBefore: before,
      bytesAfter: after,
      savedBytes: before - after,
      ms: trimmed.ms,
      actions,
    };
    log(
      `history, ${count} screenshots in ${(before / MiB).toFixed(1)} MiB: ${trimmed.ms} ms, ${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB (saved ${((before - after) / MiB).toFixed(1)} MiB; ${Object.entries(
        actions,
      )
        .map(([action, n]) => `${n} ${action}`)
        .join(', ')})`,
    );
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log('repair mode');
  await runRepairBench({ log: (line) => console.log(`  ${line}`) });
}
