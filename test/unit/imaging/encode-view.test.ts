// Views in their source's format family, within an upstream's per-image limit (docs/views.md), on
// photo-like pixels big enough that a PNG is over the limit at both tiers.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE } from '../../../src/catalog/index.js';
import {
  base64Length,
  encodeViewWithin,
  encodingLadder,
  fitImageWithin,
  isLossyWebp,
  TEXT_SAFE_JPEG_QUALITY,
} from '../../../src/imaging/encode-view.js';
import { planImage } from '../../../src/imaging/plan.js';
import { maxImageBytesFor } from '../../../src/imaging/rules.js';
import { grainyPixels } from '../../support/images.js';

const DIRECT = maxImageBytesFor('2026-09', 'anthropic');
const BEDROCK = maxImageBytesFor('2026-09', 'bedrock');

/** The largest view of each tier (computed with the plan, never hard-coded). */
const largestView = (profile: typeof STANDARD_PROFILE) => {
  const plan = planImage(5120, 2880, profile);
  return [plan.viewWidth, plan.viewHeight] as const;
};

describe('encodingLadder', () => {
  it('keeps the source family first: JPEG → JPEG, lossy WebP → WebP, PNG/GIF/lossless WebP → PNG', () => {
    expect(encodingLadder({ sourceFormat: 'jpeg' })[0]).toEqual({
      format: 'jpeg',
      quality: TEXT_SAFE_JPEG_QUALITY,
    });
    expect(encodingLadder({ sourceFormat: 'webp', sourceLossy: true })[0]).toMatchObject({ format: 'webp' });
    for (const sourceFormat of ['png', 'gif'] as const)
      expect(encodingLadder({ sourceFormat })[0]).toEqual({ format: 'png', quality: null });
    expect(encodingLadder({ sourceFormat: 'webp', sourceLossy: false })[0]).toMatchObject({ format: 'png' });
    // a forced format wins over the family; qualities only go down
    expect(encodingLadder({ sourceFormat: 'png', format: 'jpeg' })[0]).toMatchObject({ format: 'jpeg' });
    const qualities = encodingLadder({ sourceFormat: 'jpeg', quality: 85 }).map((step) => step.quality!);
    expect(qualities[0]).toBe(85);
    expect([...qualities].sort((a, b) => b - a)).toEqual(qualities);
  });
});

// encoding megapixel photos several times is slow on a shared machine
describe('encodeViewWithin, photos at both tiers', { timeout: 180_000 }, () => {
  for (const [tier, profile] of [
    ['standard', STANDARD_PROFILE],
    ['high-resolution', HIGH_RESOLUTION_PROFILE],
  ] as const) {
    it(`a JPEG photo's ${tier} view stays JPEG and fits 10 MB and 5 MB, stepping quality down only when needed`, async () => {
      const [width, height] = largestView(profile);
      const pixels = grainyPixels(width, height);
      const direct = await encodeViewWithin(pixels, { sourceFormat: 'jpeg', maxBase64Bytes: DIRECT });
      const bedrock = await encodeViewWithin(pixels, { sourceFormat: 'jpeg', maxBase64Bytes: BEDROCK });
      for (const view of [direct, bedrock]) {
        expect(view.format).toBe('jpeg');
        expect((await sharp(view.data).metadata()).format).toBe('jpeg');
      }
      expect(base64Length(direct.data.length)).toBeLessThanOrEqual(DIRECT);
      expect(base64Length(bedrock.data.length)).toBeLessThanOrEqual(BEDROCK);
      // at full quality the JPEG is over the smaller limit on the large tier: stepped down exactly there
      const full = await encodeViewWithin(pixels, { sourceFormat: 'jpeg' });
      const fullFits = (limit: number) => base64Length(full.data.length) <= limit;
      expect(direct.quality === TEXT_SAFE_JPEG_QUALITY).toBe(fullFits(DIRECT));
      expect(bedrock.quality === TEXT_SAFE_JPEG_QUALITY).toBe(fullFits(BEDROCK));
    });

    it(`a PNG photo's ${tier} view is PNG when it fits, else re-encoded smaller within the limit`, async () => {
      const [width, height] = largestView(profile);
      const pixels = grainyPixels(width, height);
      const png = await encodeViewWithin(pixels, { sourceFormat: 'png' });
      expect(png.format).toBe('png');
      for (const limit of [DIRECT, BEDROCK]) {
        const view = await encodeViewWithin(pixels, { sourceFormat: 'png', maxBase64Bytes: limit });
        expect(base64Length(view.data.length)).toBeLessThanOrEqual(limit);
        if (base64Length(png.data.length) <= limit) expect(view.data.equals(png.data)).toBe(true);
        else expect(view.data.length).toBeLessThan(png.data.length);
        const decoded = await sharp(view.data).metadata();
        expect([decoded.width, decoded.height]).toEqual([width, height]);
      }
    });
  }

  it('the large tier makes the point: its PNG photo view is over 5 MB of base64, so Bedrock gets a smaller encoding', async () => {
    const [width, height] = largestView(HIGH_RESOLUTION_PROFILE);
    const pixels = grainyPixels(width, height);
    const png = await encodeViewWithin(pixels, { sourceFormat: 'png' });
    expect(base64Length(png.data.length)).toBeGreaterThan(BEDROCK);
    const bedrock = await encodeViewWithin(pixels, { sourceFormat: 'png', maxBase64Bytes: BEDROCK });
    expect(bedrock.data.length).toBeLessThan(png.data.length);
    expect(base64Length(bedrock.data.length)).toBeLessThanOrEqual(BEDROCK);
  });

  it('refuses with a 400 when even the smallest step is over the limit', async () => {
    await expect(
      encodeViewWithin(grainyPixels(400, 300), { sourceFormat: 'jpeg', maxBase64Bytes: 1000 }),
    ).rejects.toMatchObject({ status: 400, type: 'invalid_request_error' });
  });
});

describe('fitImageWithin and isLossyWebp', { timeout: 120_000 }, () => {
  it('returns an image that fits untouched, and re-encodes one that does not, at its own size', async () => {
    const pixels = grainyPixels(600, 400);
    const png = await sharp(pixels.data, { raw: pixels }).png().toBuffer();
    const kept = await fitImageWithin(png, 'png', { maxBase64Bytes: base64Length(png.length) });
    expect(kept).toEqual({ data: png, mediaType: 'image/png', reencoded: false });
    const limit = Math.floor(base64Length(png.length) / 2);
    const fitted = await fitImageWithin(png, 'png', { maxBase64Bytes: limit });
    expect(fitted.reencoded).toBe(true);
    expect(base64Length(fitted.data.length)).toBeLessThanOrEqual(limit);
    const decoded = await sharp(fitted.data).metadata();
    expect([decoded.width, decoded.height]).toEqual([600, 400]);
  });

  it('tells lossy from lossless WebP', async () => {
    const pixels = grainyPixels(64, 48);
    const image = () => sharp(pixels.data, { raw: pixels });
    expect(isLossyWebp(await image().webp({ quality: 80 }).toBuffer())).toBe(true);
    expect(isLossyWebp(await image().webp({ lossless: true }).toBuffer())).toBe(false);
    // VP8X (alpha) files carry the image chunk after the extended header
    const withAlpha = await image().ensureAlpha(0.5).webp({ quality: 80 }).toBuffer();
    expect(isLossyWebp(withAlpha)).toBe(true);
  });
});
