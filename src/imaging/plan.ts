// The model view's geometry (vision.md §3): scaled size, tokens, padded canvas, scale factors.
// Integer arithmetic throughout, so every implementation agrees to the pixel with the formula
//   s = min(1, E / max(w,h), sqrt(T·750 / (w·h))),  w' = max(1, floor(w·s)),  h' = max(1, floor(h·s)).
import type { VisionProfile } from '../catalog/index.js';

export const PIXELS_PER_TOKEN = 750;
export const PATCH_SIZE = 28;

export interface ImagePlan {
  /** original size */
  width: number;
  height: number;
  /** scaled, unpadded size: what the tokens are counted on */
  viewWidth: number;
  viewHeight: number;
  /** padded canvas: the next multiples of 28 px */
  canvasWidth: number;
  canvasHeight: number;
  tokens: number;
  /** view / original on each axis (≤ 1) */
  scaleX: number;
  scaleY: number;
  resized: boolean;
}

/** Largest integer n with n² ≤ numerator / denominator (all non-negative safe integers). */
function floorSqrtOfRatio(numerator: number, denominator: number): number {
  let n = Math.floor(Math.sqrt(numerator / denominator));
  while (n > 0 && n * n * denominator > numerator) n -= 1;
  while ((n + 1) * (n + 1) * denominator <= numerator) n += 1;
  return n;
}

export const tokensForSize = (width: number, height: number): number =>
  Math.ceil((width * height) / PIXELS_PER_TOKEN);

export const padToPatch = (length: number): number => Math.ceil(length / PATCH_SIZE) * PATCH_SIZE;

export function planImage(width: number, height: number, profile: VisionProfile): ImagePlan {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`planImage: width and height must be positive integers, got ${width}x${height}`);
  }
  const longEdge = Math.max(width, height);
  const area = width * height;
  const budget = profile.maxTokens * PIXELS_PER_TOKEN;
  const edgeBinds = longEdge > profile.maxLongEdge;
  const tokensBind = area > budget;
  let viewWidth = width;
  let viewHeight = height;
  if (edgeBinds || tokensBind) {
    // Which factor is smaller? E/L < sqrt(B/A)  ⇔  E²·A < B·L²  (exact in integers).
    const edgeIsSmaller =
      edgeBinds &&
      (!tokensBind || profile.maxLongEdge * profile.maxLongEdge * area < budget * longEdge * longEdge);
    if (edgeIsSmaller) {
      viewWidth = Math.floor((width * profile.maxLongEdge) / longEdge);
      viewHeight = Math.floor((height * profile.maxLongEdge) / longEdge);
    } else {
      // w·sqrt(B/(w·h)) = sqrt(B·w/h)
      viewWidth = floorSqrtOfRatio(budget * width, height);
      viewHeight = floorSqrtOfRatio(budget * height, width);
    }
    viewWidth = Math.max(1, viewWidth);
    viewHeight = Math.max(1, viewHeight);
  }
  return {
    width,
    height,
    viewWidth,
    viewHeight,
    canvasWidth: padToPatch(viewWidth),
    canvasHeight: padToPatch(viewHeight),
    tokens: tokensForSize(viewWidth, viewHeight),
    scaleX: viewWidth / width,
    scaleY: viewHeight / height,
    resized: viewWidth !== width || viewHeight !== height,
  };
}
