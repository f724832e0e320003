// Header-only estimates: the 64 KiB prefix probe and its whole-file retry (JPEG EXIF, big GIF frames),
// the docs/rules/images.md §3 verdicts, and totals per model.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../../src/catalog/index.js';
import {
  assessImage,
  estimateImages,
  estimateImagesByRules,
  type ImageEstimate,
  PROBE_PREFIX_BYTES,
  type ProbedFile,
  probeFile,
  summarizeEstimates,
} from '../../../src/cli/estimate-images.js';
import { planImage } from '../../../src/imaging/index.js';
import { pngBomb, pngProbe, solid, whiteNoise } from '../../support/images.js';

const catalog = createCatalog();
const opus = catalog.find('claude-opus-4-7')!;
const haiku = catalog.find('claude-haiku-4-5')!;
const models = [opus, haiku];

/** A JPEG whose frame header sits after a 65,533-byte APP1 segment: beyond the 64 KiB prefix. */
async function jpegWithHugeExif(width: number, height: number): Promise<Buffer> {
  const jpeg = await solid(width, height, [10, 20, 30]).jpeg().toBuffer();
  const segment = Buffer.alloc(4 + 65_531);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(65_533, 2);
  segment.write('Exif\0\0', 4, 'latin1');
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** A GIF whose first frame's pixel data runs past 64 KiB. */
async function bigGif(): Promise<Buffer> {
  return whiteNoise(500, 500).gif().toBuffer();
}

let directory: string;
const path = (name: string) => join(directory, name);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sightline-estimate-'));
  await writeFile(path('small.png'), await solid(300, 200, [1, 2, 3]).png().toBuffer());
  await writeFile(path('exif.jpg'), await jpegWithHugeExif(640, 480));
  await writeFile(path('big.gif'), await bigGif());
  await writeFile(path('notes.txt'), 'not an image');
  await writeFile(path('bomb.png'), pngBomb(9000, 10));
  await writeFile(path('truncated.png'), (await solid(30, 20, [1, 2, 3]).png().toBuffer()).subarray(0, 20));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('probeFile', () => {
  it('a small PNG from its prefix', async () => {
    const probed = probeFile(path('small.png'));
    expect(probed).toMatchObject({ sniffed: 'png', readWhole: false, probe: { width: 300, height: 200 } });
  });
  it('a JPEG whose EXIF pushes the frame header past 64 KiB: retried with the whole file', async () => {
    const probed = probeFile(path('exif.jpg'));
    expect(probed.bytes).toBeGreaterThan(PROBE_PREFIX_BYTES);
    expect(probed).toMatchObject({ sniffed: 'jpeg', readWhole: true, probe: { width: 640, height: 480 } });
  });
  it('a GIF whose first frame is larger than 64 KiB', async () => {
    const probed = probeFile(path('big.gif'));
    expect(probed.bytes).toBeGreaterThan(PROBE_PREFIX_BYTES);
    expect(probed).toMatchObject({ sniffed: 'gif', readWhole: true, probe: { width: 500, height: 500 } });
  });
  it('a non-image: no probe, no whole read', async () =>
    expect(probeFile(path('notes.txt'))).toMatchObject({
      sniffed: null,
      probe: null,
      readWhole: false,
    }));
  it('a decompression bomb is measured from its header', async () =>
    expect(probeFile(path('bomb.png')).probe).toMatchObject({ width: 9000, height: 10 }));
});

const probed = (overrides: Partial<ProbedFile> & { width?: number; height?: number }): ProbedFile => {
  const { width = 100, height = 100, ...rest } = overrides;
  return {
    path: 'x.png',
    bytes: 1000,
    sniffed: 'png',
    readWhole: false,
    probe: pngProbe(width, height),
    ...rest,
  };
};

describe('assessImage', () => {
  it('tokens per model from the plan', () => {
    const estimate = assessImage(probed({ width: 1920, height: 1080 }), models);
    expect(estimate.rejected).toBeNull();
    expect(estimate.tokens).toEqual({
      [opus.id]: planImage(1920, 1080, opus.profile).tokens,
      [haiku.id]: planImage(1920, 1080, haiku.profile).tokens,
    });
  });
  it('over 10 MB under 2026-09 (the default), over 5 MB under 2026-04', () => {
    expect(assessImage(probed({ bytes: 11_000_000 }), models).rejected).toBe(
      'image exceeds 10 MB maximum: 11000000 bytes > 10485760 bytes',
    );
    expect(assessImage(probed({ bytes: 6_000_000 }), models).rejected).toBeNull();
    expect(assessImage(probed({ bytes: 6_000_000 }), models, '2026-04').rejected).toBe(
      'image exceeds 5 MB maximum: 6000000 bytes > 5242880 bytes',
    );
  });
  it('not an image', () =>
    expect(assessImage(probed({ sniffed: null, probe: null }), models).rejected).toBe(
      'Could not process image: not a JPEG, PNG, GIF or WebP image',
    ));
  it('an unreadable header', () =>
    expect(assessImage(probed({ probe: null }), models).rejected).toBe(
      'Could not process image: the png header could not be read',
    ));
  it('a side over 8000 px', () => {
    const estimate = assessImage(probed({ width: 9000, height: 10 }), models);
    expect(estimate.rejected).toBe(
      'At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect(estimate.tokens).toEqual({});
  });
  it('a side over 2000 px: refused only in requests with more than 20 images', () => {
    const estimate = assessImage(probed({ width: 2001, height: 10 }), models);
    expect(estimate.rejected).toBeNull();
    expect(estimate.refusedInManyImageRequests).toBe(true);
  });
  it('over the byte limit once base64-encoded: 10 MB (2026-09), 5 MB (2026-04)', () => {
    expect(assessImage(probed({ bytes: 7_900_000 }), models).tooLargeAsBase64).toBe(true);
    expect(assessImage(probed({ bytes: 7_800_000 }), models).tooLargeAsBase64).toBe(false);
    expect(assessImage(probed({ bytes: 4_000_000 }), models, '2026-04').tooLargeAsBase64).toBe(true);
    expect(assessImage(probed({ bytes: 3_900_000 }), models, '2026-04').tooLargeAsBase64).toBe(false);
  });
  it('tokens follow the revision', () => {
    const size = { width: 2000, height: 1500 };
    expect(assessImage(probed(size), models).tokens).toEqual({ [opus.id]: 3888, [haiku.id]: 1564 });
    expect(assessImage(probed(size), models, '2026-04').tokens).toEqual({
      [opus.id]: 4000,
      [haiku.id]: 1568,
    });
    expect(assessImage(probed(size), models, '2026-04').rules).toBe('2026-04');
  });
});

describe('summarizeEstimates', () => {
  const estimates: ImageEstimate[] = [
    assessImage(probed({ path: 'a', width: 1000, height: 1000 }), models),
    assessImage(probed({ path: 'b', width: 200, height: 200 }), models),
    assessImage(probed({ path: 'c', width: 9000, height: 9000 }), models),
    assessImage(probed({ path: 'd', sniffed: null, probe: null }), models),
  ];
  const summary = summarizeEstimates(estimates, models);
  it('counts', () => expect(summary).toMatchObject({ files: 4, accepted: 2, rejected: 2 }));
  it('totals per model over accepted images', () =>
    expect(summary.models).toEqual([
      { model: opus.id, images: 2, tokens: 1296 + 64, cost_usd: ((1296 + 64) * 5) / 1e6 },
      { model: haiku.id, images: 2, tokens: 1296 + 64, cost_usd: ((1296 + 64) * 1) / 1e6 },
    ]));
  it('the largest by pixels, rejected ones included', () =>
    expect(summary.largest.map((estimate) => estimate.path)).toEqual(['c', 'a', 'b']));
  it('the rejected', () =>
    expect(summary.rejectedImages.map((estimate) => estimate.path)).toEqual(['c', 'd']));
});

describe('estimateImages', () => {
  it('every file in order, with progress; an unreadable path is rejected, not thrown', async () => {
    const progress: number[] = [];
    const names = ['small.png', 'exif.jpg', 'notes.txt', 'no-such-file.png'];
    const estimates = await estimateImages(
      names.map((name) => path(name)),
      { models, onProgress: (done) => progress.push(done) },
    );
    expect(estimates.map((estimate) => [estimate.width, estimate.rejected === null])).toEqual([
      [300, true],
      [640, true],
      [null, false],
      [null, false],
    ]);
    expect(estimates[3]!.rejected).toMatch(/^could not be read: ENOENT/);
    expect(progress).toEqual([1, 2, 3, 4]);
  });
  it('probes each file once and assesses it under every revision asked for', async () => {
    const progress: number[] = [];
    const [old, current] = await estimateImagesByRules([path('small.png'), path('notes.txt')], {
      models,
      rules: ['2026-04', '2026-09'],
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([1, 2]);
    expect(old!.map((estimate) => [estimate.rules, estimate.tokens[opus.id] ?? null])).toEqual([
      ['2026-04', 80],
      ['2026-04', null],
    ]);
    expect(current!.map((estimate) => [estimate.rules, estimate.tokens[opus.id] ?? null])).toEqual([
      ['2026-09', 88],
      ['2026-09', null],
    ]);
  });
});
