import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE } from '../catalog/index.js';
import { boxViewToOriginal, originalToView, viewToOriginal } from './coordinates.js';
import { planImage } from './plan.js';

describe('coordinates (docs/rules/images.md §10)', () => {
  const plan = planImage(1920, 1080, STANDARD_PROFILE); // view 1456×819 on a 1456×840 canvas

  it('maps a view point to the original with x·w/w′ and y·h/h′', () => {
    const point = viewToOriginal({ x: 728, y: 409.5 }, plan);
    expect(point.x).toBeCloseTo((728 * 1920) / 1456, 9);
    expect(point.y).toBeCloseTo((409.5 * 1080) / 819, 9);
    expect(point).toMatchObject({ inPadding: false, clamped: false });
  });

  it('flags and clamps points in the padding', () => {
    const point = viewToOriginal({ x: 1450, y: 830 }, plan);
    expect(point).toMatchObject({ inPadding: true, clamped: true });
    expect(point.x).toBeCloseTo((1450 * 1920) / 1456, 9);
    expect(point.y).toBe(1079);
  });

  it('maps boxes corner by corner', () => {
    const box = boxViewToOriginal({ x0: 0, y0: 0, x1: 364, y1: 204.75 }, plan);
    expect(box.x1).toBeCloseTo(480, 9);
    expect(box.y1).toBeCloseTo(270, 9);
    expect(box.clamped).toBe(false);
  });

  it('rounding at the last pixel is not a clamp (issue 11: 800×3933, 799 → view → 799.0000000001)', () => {
    const old = planImage(800, 3933, HIGH_RESOLUTION_PROFILE, '2026-04'); // view 523×2576
    const view = originalToView({ x: 799, y: 0 }, old);
    expect((view.x * 800) / 523).toBeGreaterThan(799); // the raw arithmetic overshoots
    const back = viewToOriginal(view, old);
    expect(back).toEqual({ x: 799, y: 0, inPadding: false, clamped: false });
    // a real overshoot is still a clamp
    expect(viewToOriginal({ x: 522.5, y: 0 }, old)).toMatchObject({ x: 799, clamped: true });
  });

  for (const rules of ['2026-04', '2026-09'] as const) {
    it(`round-trips original → view → original within a pixel (${rules}, seeded)`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 8000 }),
          fc.integer({ min: 1, max: 8000 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (width, height, fx, fy) => {
            const p = planImage(width, height, HIGH_RESOLUTION_PROFILE, rules);
            const original = { x: fx * (width - 1), y: fy * (height - 1) };
            const view = originalToView(original, p);
            expect(view.inPadding).toBe(false);
            const back = viewToOriginal(view, p);
            expect(back.clamped).toBe(false);
            expect(back.x).toBeCloseTo(original.x, 6);
            expect(back.y).toBeCloseTo(original.y, 6);
          },
        ),
        // the corners (fx, fy ∈ {0, 1}) are where rounding meets the clamp
        {
          numRuns: 2000,
          examples: [
            [800, 3933, 1, 0],
            [8000, 8000, 1, 1],
            [7999, 3, 1, 1],
          ],
        },
      );
    });
  }
});
