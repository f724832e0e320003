import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE, type VisionProfile } from '../../../src/catalog/index.js';
import { fitsProfile, planImage, roundHalfEven } from '../../../src/imaging/plan.js';

const size = (text: string) => text.split('x').map(Number) as [number, number];
const view = (plan: { viewWidth: number; viewHeight: number }) => `${plan.viewWidth}x${plan.viewHeight}`;
const canvas = (plan: { canvasWidth: number; canvasHeight: number }) =>
  `${plan.canvasWidth}x${plan.canvasHeight}`;

// docs/rules/images.md §8.1: original → [standard: view, canvas, tokens], [high-resolution: view, canvas, tokens]
const VECTORS_2026_09: Array<[string, string, string, number, string, string, number]> = [
  ['1x1', '1x1', '28x28', 1, '1x1', '28x28', 1],
  ['200x200', '200x200', '224x224', 64, '200x200', '224x224', 64],
  ['1000x1000', '1000x1000', '1008x1008', 1296, '1000x1000', '1008x1008', 1296],
  ['1092x1092', '1092x1092', '1092x1092', 1521, '1092x1092', '1092x1092', 1521],
  ['1568x1568', '1092x1092', '1092x1092', 1521, '1568x1568', '1568x1568', 3136],
  ['1920x1080', '1456x819', '1456x840', 1560, '1920x1080', '1932x1092', 2691],
  ['2000x1500', '1270x952', '1288x952', 1564, '2000x1500', '2016x1512', 3888],
  ['1075x1520', '924x1307', '924x1316', 1551, '1075x1520', '1092x1540', 2145],
  ['2560x1600', '1389x868', '1400x868', 1550, '2420x1512', '2436x1512', 4698],
  ['3840x2160', '1456x819', '1456x840', 1560, '2576x1449', '2576x1456', 4784],
  ['4000x3000', '1270x952', '1288x952', 1564, '2212x1659', '2212x1680', 4740],
  ['5120x2880', '1456x819', '1456x840', 1560, '2576x1449', '2576x1456', 4784],
  ['8000x100', '1568x20', '1568x28', 56, '2576x32', '2576x56', 184],
  ['100x8000', '20x1568', '28x1568', 56, '32x2576', '56x2576', 184],
  ['1569x1', '1568x1', '1568x28', 56, '1569x1', '1596x28', 57],
  ['7999x7999', '1092x1092', '1092x1092', 1521, '1932x1932', '1932x1932', 4761],
  ['2904x2278', '1232x966', '1232x980', 1540, '2177x1708', '2184x1708', 4758],
];

describe('planImage, revision 2026-09: docs/rules/images.md §8.1 vectors', () => {
  it.each(VECTORS_2026_09)(
    '%s → standard %s on %s (%i tokens), high-resolution %s on %s (%i tokens)',
    (original, stdView, stdCanvas, stdTokens, hiView, hiCanvas, hiTokens) => {
      const [width, height] = size(original);
      const standard = planImage(width, height, STANDARD_PROFILE, '2026-09');
      expect([view(standard), canvas(standard), standard.tokens]).toEqual([stdView, stdCanvas, stdTokens]);
      const highRes = planImage(width, height, HIGH_RESOLUTION_PROFILE, '2026-09');
      expect([view(highRes), canvas(highRes), highRes.tokens]).toEqual([hiView, hiCanvas, hiTokens]);
      expect(standard.rules).toBe('2026-09');
    },
  );

  it('is the default revision', () => {
    expect(planImage(1920, 1080, STANDARD_PROFILE)).toEqual(
      planImage(1920, 1080, STANDARD_PROFILE, '2026-09'),
    );
  });

  it('computes the short side in doubles as the reference code does (2904×2278: 2177×1708, not 2178×1708)', () => {
    // exactly, 2178·2278/2904 = 1708.5 → 1708 (even), which would fit; the double 2178/(2904/2278) lands
    // just above .5 and rounds to 1709, which does not fit, so the search settles on 2177
    expect(2178 / (2904 / 2278)).toBeGreaterThan(1708.5);
    expect(roundHalfEven(2178 / (2904 / 2278))).toBe(1709);
    expect(fitsProfile(2178, 1709, HIGH_RESOLUTION_PROFILE)).toBe(false);
    expect(view(planImage(2904, 2278, HIGH_RESOLUTION_PROFILE))).toBe('2177x1708');
  });

  it('rounds exact .5 ties to the even neighbour, as Python does', () => {
    expect([0.5, 1.5, 2.5, 951.5, 952.5, 2.4999999999999996, 2.5000000000000004].map(roundHalfEven)).toEqual([
      0, 2, 2, 952, 952, 2, 3,
    ]);
    // 2000×1500 → 1270×952: 1270·0.75 = 952.5 → 952 (the docs' summary table says 1269×952; both 1564 tokens)
    expect(planImage(2000, 1500, STANDARD_PROFILE).viewWidth).toBe(1270);
  });

  it('agrees with the reference code run by CPython on 5,000 seeded sizes of both tiers', () => {
    const lines = readFileSync(
      new URL('../../fixtures/vision-2026-09/reference-sizes.txt', import.meta.url),
      'utf8',
    )
      .trim()
      .split('\n');
    expect(lines).toHaveLength(5000);
    const mismatches: string[] = [];
    for (const line of lines) {
      const [w, h, sw, sh, hw, hh] = line.split(' ').map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const standard = planImage(w, h, STANDARD_PROFILE);
      const highRes = planImage(w, h, HIGH_RESOLUTION_PROFILE);
      if (view(standard) !== `${sw}x${sh}` || view(highRes) !== `${hw}x${hh}`) mismatches.push(line);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('planImage, revision 2026-09: properties over sizes 1…8000 (seeded)', () => {
  const side = fc.integer({ min: 1, max: 8000 });
  for (const [name, profile] of [
    ['standard', STANDARD_PROFILE],
    ['high-resolution', HIGH_RESOLUTION_PROFILE],
  ] as Array<[string, VisionProfile]>) {
    it(`${name}: the view fits, tokens ≤ T, never upscaled, and one pixel wider would not fit`, () => {
      fc.assert(
        fc.property(side, side, (width, height) => {
          const plan = planImage(width, height, profile);
          expect(fitsProfile(plan.viewWidth, plan.viewHeight, profile)).toBe(true);
          expect(plan.tokens).toBeLessThanOrEqual(profile.maxTokens);
          expect(plan.tokens).toBe(Math.ceil(plan.viewWidth / 28) * Math.ceil(plan.viewHeight / 28));
          expect(plan.viewWidth).toBeLessThanOrEqual(width);
          expect(plan.viewHeight).toBeLessThanOrEqual(height);
          expect(plan.canvasWidth).toBe(Math.ceil(plan.viewWidth / 28) * 28);
          expect(plan.canvasHeight).toBe(Math.ceil(plan.viewHeight / 28) * 28);
          expect(plan.resized).toBe(!fitsProfile(width, height, profile));
          if (plan.resized) {
            // the long side is searched; the short side follows the aspect ratio (within rounding)
            const landscape = width >= height;
            const [long, short, viewLong, viewShort] = landscape
              ? [width, height, plan.viewWidth, plan.viewHeight]
              : [height, width, plan.viewHeight, plan.viewWidth];
            expect(Math.abs(viewShort - Math.max(1, (viewLong * short) / long))).toBeLessThanOrEqual(
              0.5 + 1e-9,
            );
            // the next larger long side, with its short side by the same rule, does not fit
            const nextShort = Math.max(roundHalfEven((viewLong + 1) / (long / short)), 1);
            const [nextW, nextH] = landscape ? [viewLong + 1, nextShort] : [nextShort, viewLong + 1];
            expect(fitsProfile(nextW, nextH, profile)).toBe(false);
          }
        }),
        { numRuns: 10_000 },
      );
    });
  }

  it('every width 1…8000 at a few aspect ratios: fits, and is the largest fitting width where the search is monotone', () => {
    for (const profile of [STANDARD_PROFILE, HIGH_RESOLUTION_PROFILE]) {
      for (const [num, den] of [
        [16, 9],
        [4, 3],
        [1, 1],
        [3, 1],
        [80, 1],
      ] as const) {
        for (let width = 1; width <= 8000; width += 1) {
          const height = Math.max(1, Math.round((width * den) / num));
          const plan = planImage(width, height, profile);
          if (!fitsProfile(plan.viewWidth, plan.viewHeight, profile) || plan.tokens > profile.maxTokens) {
            throw new Error(`${width}x${height} → ${view(plan)} does not fit`);
          }
        }
      }
    }
  });
});

// docs/rules/images.md §8.2 test vectors (revision 2026-04): original → [standard view, tokens], [high-res view, tokens]
const VECTORS_2026_04: Array<[string, string, number, string, number]> = [
  ['200x200', '200x200', 54, '200x200', 54],
  ['1000x1000', '1000x1000', 1334, '1000x1000', 1334],
  ['1092x1092', '1084x1084', 1567, '1092x1092', 1590],
  ['1920x1080', '1445x813', 1567, '1920x1080', 2765],
  ['2000x1500', '1252x939', 1568, '2000x1500', 4000],
];

describe('planImage, revision 2026-04: docs/rules/images.md §8.2 test vectors', () => {
  const plan04 = (width: number, height: number, profile: VisionProfile) =>
    planImage(width, height, profile, '2026-04');

  it.each(VECTORS_2026_04)(
    '%s → standard %s (%i tokens), high-res %s (%i tokens)',
    (original, std, stdTokens, hi, hiTokens) => {
      const [width, height] = size(original);
      const standard = plan04(width, height, STANDARD_PROFILE);
      expect(view(standard)).toBe(std);
      expect(standard.tokens).toBe(stdTokens);
      const highRes = plan04(width, height, HIGH_RESOLUTION_PROFILE);
      expect(view(highRes)).toBe(hi);
      expect(highRes.tokens).toBe(hiTokens);
      expect(standard.rules).toBe('2026-04');
    },
  );

  it('pads to the next multiples of 28 px', () => {
    expect(canvas(plan04(1920, 1080, HIGH_RESOLUTION_PROFILE))).toBe('1932x1092');
    expect(canvas(plan04(1920, 1080, STANDARD_PROFILE))).toBe('1456x840');
    expect(canvas(plan04(200, 200, STANDARD_PROFILE))).toBe('224x224');
    expect(canvas(plan04(1, 1, STANDARD_PROFILE))).toBe('28x28');
  });

  it('4000×3000 high-res → 2187×1640, 4783 tokens, 2212×1652 canvas', () => {
    const plan = plan04(4000, 3000, HIGH_RESOLUTION_PROFILE);
    expect([plan.viewWidth, plan.viewHeight, plan.tokens, plan.canvasWidth, plan.canvasHeight]).toEqual([
      2187, 1640, 4783, 2212, 1652,
    ]);
  });

  it('8000×100 standard → 1568×19, 40 tokens, 1568×28 canvas', () => {
    const plan = plan04(8000, 100, STANDARD_PROFILE);
    expect([plan.viewWidth, plan.viewHeight, plan.tokens, plan.canvasWidth, plan.canvasHeight]).toEqual([
      1568, 19, 40, 1568, 28,
    ]);
  });

  it('reports the scale it applied', () => {
    const plan = plan04(2000, 1500, STANDARD_PROFILE);
    expect(plan.resized).toBe(true);
    expect(plan.scaleX).toBeCloseTo(1252 / 2000, 10);
    expect(plan.scaleY).toBeCloseTo(939 / 1500, 10);
    expect(plan04(200, 100, STANDARD_PROFILE).resized).toBe(false);
  });
});

describe('planImage: arguments', () => {
  it('rejects sizes that are not positive integers, under both revisions', () => {
    for (const rules of ['2026-04', '2026-09'] as const) {
      expect(() => planImage(0, 10, STANDARD_PROFILE, rules)).toThrow(RangeError);
      expect(() => planImage(10.5, 10, STANDARD_PROFILE, rules)).toThrow(RangeError);
    }
  });
});

describe('planImage, revision 2026-04: properties over sizes 1…10,000 (seeded)', () => {
  const side = fc.integer({ min: 1, max: 10_000 });
  for (const [name, profile] of [
    ['standard', STANDARD_PROFILE],
    ['high-res', HIGH_RESOLUTION_PROFILE],
  ] as const) {
    it(`${name}: caps hold, aspect kept within 1 px, never upscaled, smallest 28-px canvas`, () => {
      fc.assert(
        fc.property(side, side, (width, height) => {
          const plan = planImage(width, height, profile, '2026-04');
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
          for (const [canvasSide, viewSide] of [
            [plan.canvasWidth, plan.viewWidth],
            [plan.canvasHeight, plan.viewHeight],
          ] as const) {
            expect(canvasSide % 28).toBe(0);
            expect(canvasSide).toBeGreaterThanOrEqual(viewSide);
            expect(canvasSide - 28).toBeLessThan(viewSide);
          }
          // tokens on the unpadded size
          expect(plan.tokens).toBe(Math.ceil((plan.viewWidth * plan.viewHeight) / 750));
          // the floating formula of docs/rules/images.md §6.2 agrees to within one pixel (float rounding)
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
        const plan = planImage(width, height, STANDARD_PROFILE, '2026-04');
        expect([plan.viewWidth, plan.viewHeight]).toEqual([width, height]);
      }),
    );
  });
});
