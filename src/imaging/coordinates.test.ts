import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE } from '../catalog/index.js';
import { boxViewToOriginal, originalToView, viewToOriginal } from './coordinates.js';
import { planImage } from './plan.js';

describe('coordinates (vision.md §4)', () => {
  const plan = planImage(1920, 1080, STANDARD_PROFILE); // view 1445×813 on a 1456×840 canvas

  it('maps a view point to the original with x·w/w′ and y·h/h′', () => {
    const point = viewToOriginal({ x: 722.5, y: 406.5 }, plan);
    expect(point.x).toBeCloseTo((722.5 * 1920) / 1445, 9);
    expect(point.y).toBeCloseTo((406.5 * 1080) / 813, 9);
    expect(point).toMatchObject({ inPadding: false, clamped: false });
  });

  it('flags and clamps points in the padding', () => {
    const point = viewToOriginal({ x: 1450, y: 830 }, plan);
    expect(point).toMatchObject({ inPadding: true, clamped: true });
    expect(point.x).toBeLessThan(1920);
    expect(point.y).toBeLessThan(1080);
    expect(point.x).toBe(1919);
    expect(point.y).toBe(1079);
  });

  it('maps boxes corner by corner', () => {
    const box = boxViewToOriginal({ x0: 0, y0: 0, x1: 289, y1: 162.6 }, plan);
    expect(box.x1).toBeCloseTo(384, 6);
    expect(box.y1).toBeCloseTo(216, 0);
  });

  it('round-trips original → view → original within a pixel', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (width, height, fx, fy) => {
          const p = planImage(width, height, HIGH_RESOLUTION_PROFILE);
          const original = { x: fx * (width - 1), y: fy * (height - 1) };
          const view = originalToView(original, p);
          expect(view.inPadding).toBe(false);
          const back = viewToOriginal(view, p);
          expect(back.clamped).toBe(false);
          expect(back.x).toBeCloseTo(original.x, 6);
          expect(back.y).toBeCloseTo(original.y, 6);
        },
      ),
    );
  });
});
