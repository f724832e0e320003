// Encodes a model view for an upstream: in its source's format family, within the upstream's per-image
// byte limit (docs/views.md). JPEG sources stay JPEG at a quality measured as visually lossless for text;
// lossy WebP stays lossy WebP; PNG, GIF and lossless WebP become PNG. A view over the limit is encoded
// again, smaller: PNG with adaptive filtering, then lossy quality steps, until it fits.
import { invalidRequest } from '../errors/index.js';
import { configureSharp } from './sharp-setup.js';
import { type ImageFormat, MEDIA_TYPES } from './sniff.js';

export type ViewFormat = 'png' | 'jpeg' | 'webp';
/** `auto` keeps the source's format family; the others force one encoding (still made to fit). */
export type ViewFormatChoice = 'auto' | ViewFormat;

/**
 * JPEG quality of views, measured as visually lossless for text (docs/views.md, `bench/view-quality.js`):
 * a 2560×1600 code screenshot scaled to either tier's view, with 4:4:4 chroma, is at PSNR 41.5–43.4 dB and
 * SSIM 0.989 against the lossless view at q95 (q90: 37.0–39.3 dB, 0.977–0.980), at 40–47% of the PNG's size.
 */
export const TEXT_SAFE_JPEG_QUALITY = 95;

/** Qualities tried, in order, after the starting one when a lossy view is over the limit. */
const LOWER_QUALITIES = [90, 80, 70, 60, 50, 40, 30, 20];

/** The characters of the base64 encoding of `bytes` bytes. */
export const base64Length = (bytes: number): number => Math.ceil(bytes / 3) * 4;

/** Decoded pixels, as `sharp(...).raw().toBuffer({ resolveWithObject: true })` returns them. */
export interface RawPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export interface EncodeViewOptions {
  /** The format of the image the pixels came from (what `auto` keeps the family of). */
  sourceFormat: ImageFormat;
  /** For a WebP source: whether it is lossy (VP8). Lossy WebP stays lossy WebP under `auto`. */
  sourceLossy?: boolean;
  /** Default `auto`. */
  format?: ViewFormatChoice;
  /** Quality of a lossy view before any step down; default TEXT_SAFE_JPEG_QUALITY. */
  quality?: number;
  /** The most base64 characters the view may take; default: no limit. */
  maxBase64Bytes?: number;
}

export interface EncodedView {
  data: Buffer;
  format: ViewFormat;
  mediaType: (typeof MEDIA_TYPES)[ViewFormat];
  /** the lossy quality used, or null for a lossless view */
  quality: number | null;
}

interface Attempt {
  format: ViewFormat;
  quality: number | null;
  adaptiveFiltering?: boolean;
}

/** The encodings tried, in order: the source's family first, then smaller ones. */
export function encodingLadder(options: EncodeViewOptions): Attempt[] {
  const start = options.quality ?? TEXT_SAFE_JPEG_QUALITY;
  const qualities = [start, ...LOWER_QUALITIES.filter((quality) => quality < start)];
  const lossy = (format: 'jpeg' | 'webp'): Attempt[] => qualities.map((quality) => ({ format, quality }));
  const lossless: Attempt[] = [
    { format: 'png', quality: null },
    // about half the size on photo-like pixels, at twice the time: only when the plain PNG is too big
    { format: 'png', quality: null, adaptiveFiltering: true },
  ];
  const choice = options.format ?? 'auto';
  if (choice === 'jpeg') return lossy('jpeg');
  if (choice === 'webp') return lossy('webp');
  if (choice === 'png') return [...lossless, ...lossy('webp')];
  if (options.sourceFormat === 'jpeg') return lossy('jpeg');
  if (options.sourceFormat === 'webp' && options.sourceLossy === true) return lossy('webp');
  // WebP keeps transparency where JPEG cannot: the lossy fallback of a lossless source
  return [...lossless, ...lossy('webp')];
}

/** Whether a view encoded per these options may hold transparency (JPEG cannot). */
export const viewKeepsAlpha = (options: EncodeViewOptions): boolean =>
  encodingLadder(options)[0]!.format !== 'jpeg';

async function encodeOnce(pixels: RawPixels, attempt: Attempt): Promise<Buffer> {
  const sharp = configureSharp();
  let image = sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  });
  const hasAlpha = pixels.channels === 2 || pixels.channels === 4;
  if (attempt.format === 'jpeg') {
    if (hasAlpha) image = image.flatten({ background: '#ffffff' });
    // 4:4:4: 4:2:0 halves colour resolution, which smears coloured text (docs/views.md)
    return image
      .jpeg({ quality: attempt.quality ?? TEXT_SAFE_JPEG_QUALITY, chromaSubsampling: '4:4:4' })
      .toBuffer();
  }
  if (attempt.format === 'webp') {
    return image
      .webp({ quality: attempt.quality ?? TEXT_SAFE_JPEG_QUALITY, smartSubsample: true })
      .toBuffer();
  }
  return image.png({ compressionLevel: 6, adaptiveFiltering: attempt.adaptiveFiltering === true }).toBuffer();
}

/**
 * Encodes view pixels in the source's format family (or the forced format), stepping down until the
 * base64 of the result fits `maxBase64Bytes`. For the view renderer and any caller that must fit an
 * upstream's per-image limit; throws a 400 `invalid_request_error` if even the smallest step is over it.
 */
export async function encodeViewWithin(pixels: RawPixels, options: EncodeViewOptions): Promise<EncodedView> {
  const limit = options.maxBase64Bytes ?? Number.POSITIVE_INFINITY;
  let smallest = Number.POSITIVE_INFINITY;
  for (const attempt of encodingLadder(options)) {
    const data = await encodeOnce(pixels, attempt);
    if (base64Length(data.length) <= limit) {
      return {
        data,
        format: attempt.format,
        mediaType: MEDIA_TYPES[attempt.format],
        quality: attempt.quality,
      };
    }
    smallest = Math.min(smallest, base64Length(data.length));
  }
  throw invalidRequest(
    `image could not be encoded within the upstream's per-image limit: ${smallest} base64 bytes > ${limit} bytes`,
  );
}

/**
 * An encoded image (JPEG/PNG/GIF/WebP) made to fit `maxBase64Bytes` at its own size: returned as is when
 * it fits, else its first frame re-encoded per `encodeViewWithin`, at the same size. (Repair mode does
 * not use it: it resizes too, with src/repair/encode-within.ts.)
 */
export async function fitImageWithin(
  bytes: Buffer,
  sourceFormat: ImageFormat,
  options: Omit<EncodeViewOptions, 'sourceFormat' | 'sourceLossy'>,
): Promise<{ data: Buffer; mediaType: (typeof MEDIA_TYPES)[ImageFormat]; reencoded: boolean }> {
  const limit = options.maxBase64Bytes ?? Number.POSITIVE_INFINITY;
  if (base64Length(bytes.length) <= limit) {
    return { data: bytes, mediaType: MEDIA_TYPES[sourceFormat], reencoded: false };
  }
  const sharp = configureSharp();
  const { data, info } = await sharp(bytes, { failOn: 'error', pages: 1, page: 0 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const encoded = await encodeViewWithin(
    { data, width: info.width, height: info.height, channels: info.channels },
    { ...options, sourceFormat, sourceLossy: sourceFormat === 'webp' ? isLossyWebp(bytes) : false },
  );
  return { data: encoded.data, mediaType: encoded.mediaType, reencoded: true };
}

/**
 * Whether a WebP file's (first) image is lossy VP8 rather than lossless VP8L, from its RIFF chunks
 * (descending into an animation's first ANMF frame). False when no image chunk is found.
 */
export function isLossyWebp(bytes: Uint8Array): boolean {
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  const size = (offset: number) =>
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const chunk = tag(offset);
    if (chunk === 'VP8 ') return true;
    if (chunk === 'VP8L') return false;
    // ANMF: 16 bytes of frame header, then the frame's own chunks
    const next = chunk === 'ANMF' ? offset + 8 + 16 : offset + 8 + size(offset + 4) + (size(offset + 4) & 1);
    if (next <= offset) return false;
    offset = next;
  }
  return false;
}
