import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { base64Length, probeImage } from '../../../src/imaging/index.js';
import { encodeWithin, fitWithin, shrinkTo } from '../../../src/repair/encode-within.js';
import { halves, noisyJpeg, solid, whiteNoise } from '../../support/images.js';

const sourceOf = (bytes: Buffer) => {
  const probe = probeImage(bytes)!;
  return { bytes, format: probe.format, width: probe.width, height: probe.height, hasAlpha: probe.hasAlpha };
};

/** White noise as JPEG: it cannot compress it, so quality steps matter. */
const noise = (width: number, height: number, quality: number) =>
  whiteNoise(width, height).jpeg({ quality }).toBuffer();

describe('fitWithin', () => {
  it('keeps sizes that fit and scales the long side to the limit', () => {
    expect(fitWithin(8000, 100, 8000)).toEqual({ width: 8000, height: 100 });
    expect(fitWithin(9000, 3000, 8000)).toEqual({ width: 8000, height: 2666 });
    expect(fitWithin(1000, 3000, 2000)).toEqual({ width: 666, height: 2000 });
    expect(fitWithin(20000, 1, 2000)).toEqual({ width: 2000, height: 1 });
  });
});

describe('encodeWithin', () => {
  it('changes nothing when the image fits', async () => {
    const png = await halves(300, 200, [0, 0, 0], [255, 255, 255]);
    expect(await encodeWithin(sourceOf(png), { maxSide: 8000, maxBase64Bytes: 5_000_000 })).toBeNull();
  });

  it('downscales a PNG with a side over the limit and keeps it a PNG', async () => {
    const png = await halves(2400, 600, [255, 0, 0], [0, 0, 255]);
    const result = (await encodeWithin(sourceOf(png), { maxSide: 2000, maxBase64Bytes: 5_000_000 }))!;
    expect([result.width, result.height, result.format]).toEqual([2000, 500, 'png']);
    const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
    // the left half is still red and the right half blue
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]);
    const last = (info.width * info.height - 1) * info.channels;
    expect([...data.subarray(last, last + 3)]).toEqual([0, 0, 255]);
  });

  it('over the byte limit: a lower JPEG quality at full size when one fits', async () => {
    const jpeg = await noise(1200, 900, 100);
    const limit = Math.floor(base64Length(jpeg.length) * 0.7);
    const result = (await encodeWithin(sourceOf(jpeg), { maxSide: 8000, maxBase64Bytes: limit }))!;
    expect([result.width, result.height, result.format]).toEqual([1200, 900, 'jpeg']);
    expect(result.quality).toBeLessThan(100);
    expect(base64Length(result.data.length)).toBeLessThanOrEqual(limit);
  });

  it('over the byte limit even at the lowest quality step: smaller until it fits', async () => {
    const jpeg = await noise(1000, 1000, 95);
    const limit = 60_000;
    const result = (await encodeWithin(sourceOf(jpeg), { maxSide: 8000, maxBase64Bytes: limit }))!;
    expect(result.width).toBeLessThan(1000);
    expect(result.width / result.height).toBeCloseTo(1, 1);
    expect(base64Length(result.data.length)).toBeLessThanOrEqual(limit);
  });

  it('an opaque PNG too large for its bytes becomes a JPEG; one with alpha a WebP', async () => {
    const opaque = await noisyJpeg(800, 600).then((jpeg) => sharp(jpeg).png().toBuffer());
    const limit = Math.floor(base64Length(opaque.length) / 2);
    const result = (await encodeWithin(sourceOf(opaque), { maxSide: 8000, maxBase64Bytes: limit }))!;
    expect(result.format).toBe('jpeg');
    const withAlpha = await sharp(opaque).ensureAlpha(0.5).png().toBuffer();
    const alphaResult = (await encodeWithin(sourceOf(withAlpha), {
      maxSide: 8000,
      maxBase64Bytes: Math.floor(base64Length(withAlpha.length) / 2),
    }))!;
    expect(alphaResult.format).toBe('webp');
    expect((await sharp(alphaResult.data).metadata()).hasAlpha).toBe(true);
  });

  it('refuses bytes that are not an image (sharp cannot read them)', async () => {
    const broken = Buffer.concat([(await solid(10, 10, [1, 2, 3]).png().toBuffer()).subarray(0, 40)]);
    await expect(
      encodeWithin(
        { bytes: broken, format: 'png', width: 9000, height: 10, hasAlpha: false },
        { maxSide: 8000, maxBase64Bytes: 1_000_000 },
      ),
    ).rejects.toThrow();
  });
});

describe('shrinkTo', () => {
  it('renders the given size as a compact JPEG', async () => {
    const png = await halves(1920, 1080, [10, 10, 10], [240, 240, 240]);
    const result = await shrinkTo(sourceOf(png), { width: 1445, height: 813 });
    expect([result.width, result.height, result.format]).toEqual([1445, 813, 'jpeg']);
  });
});
