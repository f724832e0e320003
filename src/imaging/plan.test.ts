import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE } from '../catalog/index.js';
import { planImage } from './plan.js';

// vision.md §3 test vectors: original → [standard view, tokens], [high-res view, tokens]
const VECTORS: Array<[string, string, number, string, number]> = [
  ['200x200', '200x200', 54, '200x200', 54],
  ['1000x1000', '1000x1000', 1334, '1000x1000', 1334],
  ['1092x1092', '1084x1084', 1567, '1092x1092', 1590],
  ['1920x1080', '1445x813', 1567, '1920x1080', 2765],
  ['2000x1500', '1252x939', 1568, '2000x1500', 4000],
];

const size = (text: string) => text.split('x').map(Number) as [number, number];

describe('planImage: vision.md §3 test vectors', () => {
  it.each(VECTORS)(
    '%s → standard %s (%i tokens), high-res %s (%i tokens)',
    (original, std, stdTokens, hi, hiTokens) => {
      const [width, height] = size(original);
      const standard = planImage(width, height, STANDARD_PROFILE);
      expect(`${standard.viewWidth}x${standard.viewHeight}`).toBe(std);
      expect(standard.tokens).toBe(stdTokens);
      const highRes = planImage(width, height, HIGH_RESOLUTION_PROFILE);
      expect(`${highRes.viewWidth}x${highRes.viewHeight}`).toBe(hi);
      expect(highRes.tokens).toBe(hiTokens);
    },
  );

  it('pads to the next multiples of 28 px', () => {
    const canvas = (w: number, h: number, profile = STANDARD_PROFILE) => {
      const plan = planImage(w, h, profile);
      return `${plan.canvasWidth}x${plan.canvasHeight}`;
    };
    expect(canvas(1920, 1080, HIGH_RESOLUTION_PROFILE)).toBe('1932x1092');
    expect(canvas(1920, 1080)).toBe('1456x840');
    expect(canvas(200, 200)).toBe('224x224');
    expect(canvas(1, 1)).toBe('28x28');
  });

  it('4000×3000 high-res → 2187×1640, 4783 tokens, 2212×1652 canvas', () => {
    const plan = planImage(4000, 3000, HIGH_RESOLUTION_PROFILE);
    expect([plan.viewWidth, plan.viewHeight, plan.tokens, plan.canvasWidth, plan.canvasHeight]).toEqual([
      2187, 1640, 4783, 2212, 1652,
    ]);
  });

  it('8000×100 standard → 1568×19, 40 tokens, 1568×28 canvas', () => {
    const plan = planImage(8000, 100, STANDARD_PROFILE);
    expect([plan.viewWidth, plan.viewHeight, plan.tokens, plan.canvasWidth, plan.canvasHeight]).toEqual([
      1568, 19, 40, 1568, 28,
    ]);
  });

  it('reports the scale it applied', () => {
    const plan = planImage(2000, 1500, STANDARD_PROFILE);
    expect(plan.resized).toBe(true);
    expect(plan.scaleX).toBeCloseTo(1252 / 2000, 10);
    expect(plan.scaleY).toBeCloseTo(939 / 1500, 10);
    expect(planImage(200, 100, STANDARD_PROFILE).resized).toBe(false);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => planImage(0, 10, STANDARD_PROFILE)).toThrow(RangeError);
    expect(() => planImage(10.5, 10, STANDARD_PROFILE)).toThrow(RangeError);
  });
});

describe('planImage: properties over random sizes from 1 to 10,000 px', () => {
  const side = fc.integer({ min: 1, max: 10_000 });
  for (const [name, profile] of [
    ['standard', STANDARD_PROFILE],
    ['high-res', HIGH_RESOLUTION_PROFILE],
  ] as const) {
    it(`${name}: caps hold, aspect kept within 1 px, never upscaled, smallest 28-px canvas`, () => {
      fc.assert(
        fc.property(side, side, (width, height) => {
          const plan = planImage(width, height, profile);
          // both caps
          expect(Math.max(plan.viewWidth, plan.viewHeight)).toBeLessThanOrEqual(profile.maxLongEdge);
          if (plan.viewWidth > 1 && plan.viewHeight > 1) {
            expect(plan.viewWidth * plan.viewHeight).toBeLessThanOrEqual(profile.maxTokens * 750);
            expect(plan.tokens).toBeLessThanOrEqual(profile.maxTokens);
          }
          // never upscaled
          expect(plan.viewWidth).toBeLessThanOrEqual(width);
          expect(plan.viewHeight).toBeLessThanOrEqual(height);
          // aspect ratio kept within 1 px: the short side is within 1 px of the long side's scale
          const [long, longView, short, shortView] =
            width >= height
              ? [width, plan.viewWidth, height, plan.viewHeight]
              : [height, plan.viewHeight, width, plan.viewWidth];
          expect(Math.abs(shortView - (longView * short) / long)).toBeLessThanOrEqual(1 + 1e-9);
          // the canvas is the smallest multiple of 28 holding the view
          for (const [canvas, view] of [
            [plan.canvasWidth, plan.viewWidth],
            [plan.canvasHeight, plan.viewHeight],
          ] as const) {
            expect(canvas % 28).toBe(0);
            expect(canvas).toBeGreaterThanOrEqual(view);
            expect(canvas - 28).toBeLessThan(view);
          }
          // tokens on the unpadded size
          expect(plan.tokens).toBe(Math.ceil((plan.viewWidth * plan.viewHeight) / 750));
          // the floating formula, as written in vision.md, agrees to within one pixel (float rounding)
          const s = Math.min(
            1,
            profile.maxLongEdge / Math.max(width, height),
            Math.sqrt((profile.maxTokens * 750) / (width * height)),
          );
          expect(Math.abs(plan.viewWidth - Math.max(1, Math.floor(width * s)))).toBeLessThanOrEqual(1);
        }),
        { numRuns: 5000 },
      );
    });
  }

  it('images within both caps are left at their size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (width, height) => {
        fc.pre(width * height <= 1568 * 750);
        const plan = planImage(width, height, STANDARD_PROFILE);
        expect([plan.viewWidth, plan.viewHeight]).toEqual([width, height]);
      }),
    );
  });
});
