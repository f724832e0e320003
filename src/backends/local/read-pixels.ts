// Decodes pixels with sharp: the unpadded content area of a model view as RGBA, a small fixed-size
// RGB thumbnail for colour and comparison measures, and a PNG of the content for OCR.
import sharp from 'sharp';
import type { PreparedImage } from '../types.js';

/** Side of the square thumbnail every image is reduced to (area-averaged) for comparisons. */
export const THUMBNAIL_SIZE = 64;
/** Side of the square grid of pixels sampled (nearest, so only colours really present) for colours. */
export const COLOUR_SAMPLE_SIZE = 128;

export interface ContentPixels {
  width: number;
  height: number;
  /** width × height × 4 bytes, sRGB, 8 bits per channel. */
  rgba: Uint8Array;
}

/** The content area (top-left `contentWidth × contentHeight`, padding excluded) of the view, as RGBA. */
export async function readContentPixels(view: PreparedImage['view']): Promise<ContentPixels> {
  const width = Math.max(1, Math.min(view.contentWidth, view.width));
  const height = Math.max(1, Math.min(view.contentHeight, view.height));
  const { data, info } = await sharp(view.data)
    .extract({ left: 0, top: 0, width, height })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4 || info.width !== width || info.height !== height) {
    throw new Error(`unexpected decoded layout ${info.width}×${info.height}×${info.channels}`);
  }
  return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

async function resizeRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  side: number,
  kernel: 'linear' | 'nearest',
): Promise<Uint8Array> {
  const data = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(side, side, { fit: 'fill', kernel })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Reduces RGB pixels to a THUMBNAIL_SIZE² RGB image (stretched to fill, area-averaging kernel). */
export function makeThumbnail(rgb: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return resizeRgb(rgb, width, height, THUMBNAIL_SIZE, 'linear');
}

/**
 * Samples a COLOUR_SAMPLE_SIZE² grid of the RGB pixels (stretched to fill, nearest neighbour), so
 * colour shares are not smeared by averaging (anti-aliased text would otherwise turn grey).
 */
export function sampleColours(rgb: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return resizeRgb(rgb, width, height, COLOUR_SAMPLE_SIZE, 'nearest');
}

/** Encodes RGB pixels as PNG (for OCR). */
export function encodePng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
