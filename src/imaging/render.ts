// Renders the model view (docs/rules/images.md §9, docs/rules/pipeline.md §4): first frame, optional EXIF orientation, high-quality downscale
// (shrink-on-load where the format allows), padding right/bottom to the plan's canvas, no metadata; then
// encodes it per encode-view.ts (the source's format family, within an upstream's byte limit), or hands
// back the original bytes when nothing about the image has to change.
import { ApiError, invalidRequest } from '../errors/index.js';
import { COULD_NOT_PROCESS_IMAGE } from './checks.js';
import {
  base64Length,
  encodeViewWithin,
  isLossyWebp,
  TEXT_SAFE_JPEG_QUALITY,
  type ViewFormat,
  type ViewFormatChoice,
  viewKeepsAlpha,
} from './encode-view.js';
import type { ImagePlan } from './plan.js';
import { configureSharp } from './sharp-setup.js';
import { type ImageFormat, MEDIA_TYPES, sniffFormat } from './sniff.js';

export type { ViewFormat, ViewFormatChoice };

export interface RenderOptions {
  /** Output encoding of the model view: PNG (lossless) by default; `auto` keeps the source's family. */
  format?: ViewFormatChoice;
  /** Quality of a lossy (JPEG/WebP) view before any step down, 1–100 (default TEXT_SAFE_JPEG_QUALITY). */
  quality?: number;
  /** The most base64 characters the view may take (an upstream's per-image limit); default none. */
  maxBase64Bytes?: number;
  /**
   * Hand back the original bytes when the view would be the same picture: not resized, no padding to add,
   * no orientation to apply, and within `maxBase64Bytes` (for Claude upstreams: no re-encode at all).
   */
  keepOriginal?: boolean;
  /** Apply EXIF orientation (off by default: docs/rules/images.md §9). The plan must then use oriented sizes. */
  autoOrient?: boolean;
  /** Area limit checked from the header before decoding (default 8000×8000). */
  maxInputPixels?: number;
  /** Abort a decode that runs longer than this (default 20 s). */
  timeoutSeconds?: number;
  /**
   * Pad right and bottom to the 28-px canvas (default true). Off for upstreams that pad on their own
   * side, such as Claude: padding sent to them would count as image tokens and trigger a second resize.
   */
  pad?: boolean;
}

export interface RenderedView {
  data: Buffer;
  mediaType: (typeof MEDIA_TYPES)[ImageFormat];
  /** the encoding sent: a ViewFormat, or the source's own format when its bytes are kept */
  format: ImageFormat;
  /** the lossy quality used, or null (lossless, or the original bytes) */
  quality: number | null;
  /** false when `data` is the original bytes, untouched */
  reencoded: boolean;
  /** the padded canvas (or the content size when rendered without padding) */
  width: number;
  height: number;
  /** the scaled image inside the canvas */
  contentWidth: number;
  contentHeight: number;
  hasAlpha: boolean;
}

export { COULD_NOT_PROCESS_IMAGE } from './checks.js';

/**
 * @param hasAlpha whether the source can hold transparency (from the header probe): transparent
 *   padding then, black otherwise. JPEG output cannot hold alpha: transparency is flattened on white.
 */
export async function renderModelView(
  bytes: Buffer,
  plan: ImagePlan,
  hasAlpha: boolean,
  options: RenderOptions = {},
): Promise<RenderedView> {
  const sharp = configureSharp();
  const sourceFormat = sniffFormat(bytes) ?? 'png';
  const encoding = {
    sourceFormat,
    sourceLossy: sourceFormat === 'webp' && isLossyWebp(bytes),
    format: options.format ?? 'png',
    quality: options.quality ?? TEXT_SAFE_JPEG_QUALITY,
    ...(options.maxBase64Bytes === undefined ? {} : { maxBase64Bytes: options.maxBase64Bytes }),
  };
  const pad = options.pad ?? true;
  const [plannedWidth, plannedHeight] = pad
    ? [plan.canvasWidth, plan.canvasHeight]
    : [plan.viewWidth, plan.viewHeight];
  const unchanged =
    !plan.resized && plannedWidth === plan.width && plannedHeight === plan.height && !options.autoOrient;
  if (
    options.keepOriginal === true &&
    unchanged &&
    base64Length(bytes.length) <= (options.maxBase64Bytes ?? Number.POSITIVE_INFINITY)
  ) {
    return {
      data: bytes,
      mediaType: MEDIA_TYPES[sourceFormat],
      format: sourceFormat,
      quality: null,
      reencoded: false,
      width: plan.width,
      height: plan.height,
      contentWidth: plan.viewWidth,
      contentHeight: plan.viewHeight,
      hasAlpha,
    };
  }
  const keepAlpha = hasAlpha && viewKeepsAlpha(encoding);
  try {
    let image = sharp(bytes, {
      failOn: 'error',
      limitInputPixels: options.maxInputPixels ?? 8000 * 8000,
      pages: 1,
      page: 0,
      autoOrient: options.autoOrient ?? false,
    }).timeout({ seconds: options.timeoutSeconds ?? 20 });
    if (plan.resized)
      image = image.resize(plan.viewWidth, plan.viewHeight, { fit: 'fill', kernel: 'lanczos3' });
    if (hasAlpha && !keepAlpha) image = image.flatten({ background: '#ffffff' });
    if (!hasAlpha) image = image.removeAlpha();
    const right = pad ? plan.canvasWidth - plan.viewWidth : 0;
    const bottom = pad ? plan.canvasHeight - plan.viewHeight : 0;
    if (right > 0 || bottom > 0) {
      image = image.extend({ right, bottom, background: { r: 0, g: 0, b: 0, alpha: keepAlpha ? 0 : 1 } });
    }
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (info.width !== plannedWidth || info.height !== plannedHeight) {
      throw new Error(`rendered ${info.width}x${info.height}, planned ${plannedWidth}x${plannedHeight}`);
    }
    const view = await encodeViewWithin(
      { data, width: info.width, height: info.height, channels: info.channels },
      encoding,
    );
    return {
      data: view.data,
      mediaType: view.mediaType,
      format: view.format,
      quality: view.quality,
      reencoded: true,
      width: info.width,
      height: info.height,
      contentWidth: plan.viewWidth,
      contentHeight: plan.viewHeight,
      hasAlpha: keepAlpha && view.format !== 'jpeg',
    };
  } catch (error) {
    if (error instanceof ApiError) throw error; // a view that cannot fit the upstream's limit
    throw invalidRequest(COULD_NOT_PROCESS_IMAGE, error);
  }
}
