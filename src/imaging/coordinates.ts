// Maps points and boxes between the model view (scaled + padded) and the original image (docs/rules/images.md §10).
import type { ImagePlan } from './plan.js';

export interface Point {
  x: number;
  y: number;
}

export interface MappedPoint extends Point {
  /** The view point lay in the padding added to reach multiples of 28 px. */
  inPadding: boolean;
  /** The result was moved to the nearest pixel inside the image. */
  clamped: boolean;
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * A mapped coordinate within [low, high]. x·w/w′ and x·w′/w are each rounded once, so a round trip can
 * land a few ulps outside the image (799 → 522.34625 → 799.0000000000001 on an 800-px side): that is
 * rounding, not a point outside, so it snaps to the bound and is not reported as clamped.
 */
function clampMapped(value: number, low: number, high: number): { value: number; clamped: boolean } {
  const slack = 1e-9 * Math.max(1, Math.abs(high));
  if (value < low)
    return value >= low - slack ? { value: low, clamped: false } : { value: low, clamped: true };
  if (value > high)
    return value <= high + slack ? { value: high, clamped: false } : { value: high, clamped: true };
  return { value, clamped: false };
}

type Geometry = Pick<ImagePlan, 'width' | 'height' | 'viewWidth' | 'viewHeight'>;

/** Model-view pixels → original pixels: x·w/w′, y·h/h′. A point in the padding (x ≥ w′ or y ≥ h′) is
 * flagged; results are clamped to the original's pixel range [0, w−1] × [0, h−1] (rounding noise at
 * the bounds is snapped, not reported as a clamp). */
export function viewToOriginal(point: Point, plan: Geometry): MappedPoint {
  const x = clampMapped((point.x * plan.width) / plan.viewWidth, 0, plan.width - 1);
  const y = clampMapped((point.y * plan.height) / plan.viewHeight, 0, plan.height - 1);
  return {
    x: x.value,
    y: y.value,
    inPadding: point.x >= plan.viewWidth || point.y >= plan.viewHeight,
    clamped: x.clamped || y.clamped,
  };
}

/** Original pixels → model-view pixels: x·w′/w, y·h′/h; points outside the original are clamped first. */
export function originalToView(point: Point, plan: Geometry): MappedPoint {
  const x = clamp(point.x, 0, plan.width - 1);
  const y = clamp(point.y, 0, plan.height - 1);
  return {
    x: (x * plan.viewWidth) / plan.width,
    y: (y * plan.viewHeight) / plan.height,
    inPadding: false,
    clamped: x !== point.x || y !== point.y,
  };
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boxViewToOriginal(box: Box, plan: Geometry): Box & { clamped: boolean } {
  const start = viewToOriginal({ x: box.x0, y: box.y0 }, plan);
  const end = viewToOriginal({ x: box.x1, y: box.y1 }, plan);
  return { x0: start.x, y0: start.y, x1: end.x, y1: end.y, clamped: start.clamped || end.clamped };
}

export function boxOriginalToView(box: Box, plan: Geometry): Box & { clamped: boolean } {
  const start = originalToView({ x: box.x0, y: box.y0 }, plan);
  const end = originalToView({ x: box.x1, y: box.y1 }, plan);
  return { x0: start.x, y0: start.y, x1: end.x, y1: end.y, clamped: start.clamped || end.clamped };
}
