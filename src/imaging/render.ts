// Renders the model view (vision.md §3): first frame, optional EXIF orientation, high-quality downscale
// (shrink-on-load where the format allows), padding right/bottom to the plan's canvas, no metadata.
import { invalidRequest } from '../errors/index.js';
import { COULD_NOT_PROCESS_IMAGE } from './checks.js';
import type { ImagePlan } from './plan.js';
import { configureSharp } from './sharp-setup.js';
import { type ImageFormat, MEDIA_TYPES } from './sniff.js';

export type ViewFormat = 'png' | 'jpeg' | 'webp';

export interface RenderOptions {
  /** Output encoding of the model view; PNG (lossless) by default. */
  format?: ViewFormat;
  /** JPEG/WebP quality, 1–100 (default 90). */
  quality?: number;
  /** Apply EXIF orientation (off by default: vision.md §3 step 2). The plan must then use oriented sizes. */
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
  format: ViewFormat;
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
  const format = options.format ?? 'png';
  const keepAlpha = hasAlpha && format !== 'jpeg';
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
    const pad = options.pad ?? true;
    const right = pad ? plan.canvasWidth - plan.viewWidth : 0;
    const bottom = pad ? plan.canvasHeight - plan.viewHeight : 0;
    if (right > 0 || bottom > 0) {
      image = image.extend({ right, bottom, background: { r: 0, g: 0, b: 0, alpha: keepAlpha ? 0 : 1 } });
    }
    const quality = options.quality ?? 90;
    if (format === 'jpeg') image = image.jpeg({ quality });
    else if (format === 'webp') image = image.webp({ quality });
    else image = image.png({ compressionLevel: 6 });
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    const [plannedWidth, plannedHeight] = pad
      ? [plan.canvasWidth, plan.canvasHeight]
      : [plan.viewWidth, plan.viewHeight];
    if (info.width !== plannedWidth || info.height !== plannedHeight) {
      throw new Error(`rendered ${info.width}x${info.height}, planned ${plannedWidth}x${plannedHeight}`);
    }
    return {
      data,
      mediaType: MEDIA_TYPES[format],
      format,
      width: info.width,
      height: info.height,
      contentWidth: plan.viewWidth,
      contentHeight: plan.viewHeight,
      hasAlpha: keepAlpha,
    };
  } catch (error) {
    throw invalidRequest(COULD_NOT_PROCESS_IMAGE, error);
  }
}
