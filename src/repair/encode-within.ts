// Re-encodes an image so it fits side and byte limits with the least change that works: the same format
// and size when only the sides are too long; then lossy quality steps; then smaller sizes. Pure (sharp only).
// Not the view encoder (src/imaging/encode-view.ts): that one keeps the size and has its own ladder.
import type { Sharp } from 'sharp';
import { base64Length, configureSharp, type ImageFormat, MEDIA_TYPES } from '../imaging/index.js';

export interface EncodeLimits {
  /** Longest allowed side in pixels (both sides). */
  maxSide: number;
  /** Largest allowed size of the base64 encoding of the result (the API measures base64 length). */
  maxBase64Bytes: number;
}

export interface EncodedImage {
  data: Buffer;
  format: ImageFormat;
  mediaType: (typeof MEDIA_TYPES)[ImageFormat];
  width: number;
  height: number;
  /** JPEG/WebP quality used, when the result is lossy and re-encoded for size */
  quality?: number;
}

/** Largest size with both sides ≤ maxSide, keeping the aspect ratio (floored, at least 1 px). */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  return {
    width: Math.max(1, Math.min(maxSide, Math.floor((width * maxSide) / long))),
    height: Math.max(1, Math.min(maxSide, Math.floor((height * maxSide) / long))),
  };
}

/** Quality steps for lossy formats, highest first: the first that fits wins. */
const QUALITY_STEPS = [90, 80, 70, 60, 50];
/** Quality used while shrinking, once no quality step fits at full size. */
const SHRINK_QUALITY = 70;
/** Decoding larger inputs than this is refused (a 16384×12288 photo is ~200 MP). */
const MAX_INPUT_PIXELS = 200_000_000;

export interface EncodeSource {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  hasAlpha: boolean;
}

function load(source: EncodeSource): Sharp {
  const sharp = configureSharp();
  // first frame, pixels as stored (no EXIF rotation: Claude does not apply it); metadata is dropped
  return sharp(source.bytes, {
    failOn: 'error',
    limitInputPixels: MAX_INPUT_PIXELS,
    pages: 1,
    page: 0,
  }).timeout({ seconds: 30 });
}

async function encode(
  source: EncodeSource,
  size: { width: number; height: number },
  format: ImageFormat,
  quality: number | undefined,
): Promise<EncodedImage> {
  let image = load(source);
  if (size.width !== source.width || size.height !== source.height)
    image = image.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' });
  if (format === 'jpeg') image = image.flatten({ background: '#ffffff' }).jpeg({ quality: quality ?? 90 });
  else if (format === 'webp')
    image = quality === undefined ? image.webp({ lossless: true }) : image.webp({ quality });
  else image = image.png({ compressionLevel: 9, adaptiveFiltering: true });
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return {
    data,
    format,
    mediaType: MEDIA_TYPES[format],
    width: info.width,
    height: info.height,
    ...(quality === undefined ? {} : { quality }),
  };
}

const fits = (encoded: EncodedImage, limits: EncodeLimits) =>
  base64Length(encoded.data.length) <= limits.maxBase64Bytes;

/** The lossy format an image goes to when its own format cannot get small enough. */
const lossyFormatFor = (source: EncodeSource): ImageFormat =>
  source.format === 'jpeg' || source.format === 'webp' ? source.format : source.hasAlpha ? 'webp' : 'jpeg';

/**
 * The least change that makes `source` fit `limits`:
 *   1. sides too long → downscaled to fit, same format (GIF → PNG: only its first frame counts anyway);
 *   2. still too many bytes → lossy quality steps at that size (PNG/GIF → JPEG, or WebP with alpha);
 *   3. still too many bytes → smaller sizes at a middle quality, by the square root of the excess.
 * Returns null when nothing had to change. Throws when sharp cannot decode the image.
 */
export async function encodeWithin(source: EncodeSource, limits: EncodeLimits): Promise<EncodedImage | null> {
  const size = fitWithin(source.width, source.height, limits.maxSide);
  const resized = size.width !== source.width || size.height !== source.height;
  const sourceFits = base64Length(source.bytes.length) <= limits.maxBase64Bytes;
  if (!resized && sourceFits) return null;
  const sameFormat: ImageFormat = source.format === 'gif' ? 'png' : source.format;
  if (resized) {
    const first = await encode(source, size, sameFormat, sameFormat === 'jpeg' ? 90 : undefined);
    if (fits(first, limits)) return first;
  }
  const lossy = lossyFormatFor(source);
  for (const quality of QUALITY_STEPS) {
    const attempt = await encode(source, size, lossy, quality);
    if (fits(attempt, limits)) return attempt;
  }
  let current = size;
  let last: EncodedImage | undefined;
  for (let step = 0; step < 12; step += 1) {
    const excess = last ? base64Length(last.data.length) / limits.maxBase64Bytes : 2;
    const factor = Math.min(0.9, Math.sqrt(1 / excess) * 0.95);
    current = {
      width: Math.max(1, Math.floor(current.width * factor)),
      height: Math.max(1, Math.floor(current.height * factor)),
    };
    last = await encode(source, current, lossy, SHRINK_QUALITY);
    if (fits(last, limits)) return last;
    if (current.width === 1 && current.height === 1) break;
  }
  throw new Error(`could not fit the image within ${limits.maxBase64Bytes} bytes`);
}

/**
 * Shrinks an image to at most `size` and re-encodes it compactly (JPEG q80, or WebP q80 with alpha) —
 * the history repair's first step: the model loses nothing when `size` is the view it would see anyway.
 */
export async function shrinkTo(
  source: EncodeSource,
  size: { width: number; height: number },
): Promise<EncodedImage> {
  return encode(source, size, source.hasAlpha ? 'webp' : 'jpeg', 80);
}
