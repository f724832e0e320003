// The model view's geometry: scaled size, tokens, padded canvas, scale factors, under either revision of
// the rules (docs/rules/images.md §6–§7). Pure; the Workbench imports the compiled module.
//   2026-09 (default): tokens = ceil(w/28)·ceil(h/28); the view is the documented reference search (below),
//     computed in IEEE doubles exactly as the reference code does, ties rounded half to even.
//   2026-04: s = min(1, E / max(w,h), sqrt(T·750 / (w·h))),  w' = max(1, floor(w·s)),  h' = max(1, floor(h·s)),
//     tokens = ceil(w'·h'/750); computed in integers so every implementation agrees to the pixel.
import type { VisionProfile } from '../catalog/index.js';
import { DEFAULT_VISION_RULES, type VisionRules } from './rules.js';

export const PIXELS_PER_TOKEN = 750;
export const PATCH_SIZE = 28;

export interface ImagePlan {
  /** the revision of the rules this plan follows */
  rules: VisionRules;
  /** original size */
  width: number;
  height: number;
  /** scaled, unpadded size: what the model reads */
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

export const padToPatch = (length: number): number => Math.ceil(length / PATCH_SIZE) * PATCH_SIZE;

/** Tokens of a view of w×h under a revision: 28×28 patches (2026-09) or ceil(w·h/750) (2026-04). */
export const tokensForSize = (
  width: number,
  height: number,
  rules: VisionRules = DEFAULT_VISION_RULES,
): number =>
  rules === '2026-04'
    ? Math.ceil((width * height) / PIXELS_PER_TOKEN)
    : Math.ceil(width / PATCH_SIZE) * Math.ceil(height / PATCH_SIZE);

/** Python's `round` on a double: the nearest integer, exact .5 ties to the even neighbour. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor; // exact for doubles of this size
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** 2026-09: both padded sides within the edge limit and the patch tokens within the budget. */
export const fitsProfile = (width: number, height: number, profile: VisionProfile): boolean =>
  padToPatch(width) <= profile.maxLongEdge &&
  padToPatch(height) <= profile.maxLongEdge &&
  tokensForSize(width, height, '2026-09') <= profile.maxTokens;

/**
 * 2026-09 view size: the docs' reference algorithm, step for step. Landscape (W ≥ H) is searched on the
 * width: the largest width `lo` for which (lo, max(round(lo / aspect), 1)) fits, with `aspect = W / H` as a
 * double and `round` half to even. Portrait is solved by swapping the sides. `lo` always fits (1 × 1),
 * `hi` never does.
 */
export function viewSize2026_09(width: number, height: number, profile: VisionProfile): [number, number] {
  if (fitsProfile(width, height, profile)) return [width, height];
  if (height > width) {
    const [h, w] = viewSize2026_09(height, width, profile);
    return [w, h];
  }
  const aspect = width / height;
  const shortSide = (long: number) => Math.max(roundHalfEven(long / aspect), 1);
  let lo = 1;
  let hi = width;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fitsProfile(mid, shortSide(mid), profile)) lo = mid;
    else hi = mid;
  }
  return [lo, shortSide(lo)];
}

/** Largest integer n with n² ≤ numerator / denominator (all non-negative safe integers). */
function floorSqrtOfRatio(numerator: number, denominator: number): number {
  let n = Math.floor(Math.sqrt(numerator / denominator));
  while (n > 0 && n * n * denominator > numerator) n -= 1;
  while ((n + 1) * (n + 1) * denominator <= numerator) n += 1;
  return n;
}

/** 2026-04 view size: one scale factor, floored, in exact integer arithmetic. */
export function viewSize2026_04(width: number, height: number, profile: VisionProfile): [number, number] {
  const longEdge = Math.max(width, height);
  const area = width * height;
  const budget = profile.maxTokens * PIXELS_PER_TOKEN;
  const edgeBinds = longEdge > profile.maxLongEdge;
  const tokensBind = area > budget;
  if (!edgeBinds && !tokensBind) return [width, height];
  // Which factor is smaller? E/L < sqrt(B/A)  ⇔  E²·A < B·L²  (exact in integers).
  const edgeIsSmaller =
    edgeBinds &&
    (!tokensBind || profile.maxLongEdge * profile.maxLongEdge * area < budget * longEdge * longEdge);
  const [viewWidth, viewHeight] = edgeIsSmaller
    ? [
        Math.floor((width * profile.maxLongEdge) / longEdge),
        Math.floor((height * profile.maxLongEdge) / longEdge),
      ]
    : // w·sqrt(B/(w·h)) = sqrt(B·w/h)
      [floorSqrtOfRatio(budget * width, height), floorSqrtOfRatio(budget * height, width)];
  return [Math.max(1, viewWidth), Math.max(1, viewHeight)];
}

/**
 * What a model with `profile` reads of a width×height image under `rules` (default 2026-09): the view
 * (never larger than the original), its 28-px canvas and its tokens. Throws a RangeError for sizes that
 * are not positive integers.
 */
export function planImage(
  width: number,
  height: number,
  profile: VisionProfile,
  rules: VisionRules = DEFAULT_VISION_RULES,
): ImagePlan {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`planImage: width and height must be positive integers, got ${width}x${height}`);
  }
  const [viewWidth, viewHeight] =
    rules === '2026-04' ? viewSize2026_04(width, height, profile) : viewSize2026_09(width, height, profile);
  return {
    rules,
    width,
    height,
    viewWidth,
    viewHeight,
    canvasWidth: padToPatch(viewWidth),
    canvasHeight: padToPatch(viewHeight),
    tokens: tokensForSize(viewWidth, viewHeight, rules),
    scaleX: viewWidth / width,
    scaleY: viewHeight / height,
    resized: viewWidth !== width || viewHeight !== height,
  };
}
