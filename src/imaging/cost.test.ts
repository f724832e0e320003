import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/index.js';
import { imageCost } from './cost.js';

const catalog = createCatalog();
const sonnet = catalog.find('claude-sonnet-4-6')!;
const opus47 = catalog.find('claude-opus-4-7')!;

// Revision 2026-09 (docs/rules/images.md §11): exact patch tokens × the input price
const TABLE_2026_09: Array<[string, number, number, number]> = [
  // [model, width, height, tokens]
  ['claude-sonnet-4-6', 200, 200, 64],
  ['claude-sonnet-4-6', 1000, 1000, 1296],
  ['claude-sonnet-4-6', 1920, 1080, 1560],
  ['claude-sonnet-4-6', 2000, 1500, 1564],
  ['claude-opus-4-7', 1920, 1080, 2691],
  ['claude-opus-4-7', 2000, 1500, 3888],
  ['claude-opus-4-7', 3840, 2160, 4784],
];

describe('imageCost, revision 2026-09 (the default)', () => {
  it.each(TABLE_2026_09)('%s, %ix%i → %i tokens', (id, w, h, tokens) => {
    const model = catalog.find(id)!;
    const cost = imageCost(w, h, model);
    expect(cost.tokens).toBe(tokens);
    expect(cost.usd).toBeCloseTo((tokens * model.inputPricePerMillion) / 1e6, 12);
    expect(cost.usdPerThousand).toBeCloseTo((tokens * model.inputPricePerMillion) / 1e3, 9);
  });
  it('what the change costs: 2000×1500 on Opus 4.7 is 3888 tokens where 2026-04 counted 4000', () => {
    expect(imageCost(2000, 1500, opus47, '2026-09').usd).toBeCloseTo(0.01944, 12);
    expect(imageCost(2000, 1500, opus47, '2026-04').usd).toBeCloseTo(0.02, 12);
  });
});

// Revision 2026-04, the seeded guide's cost tables (docs/rules/images.md §11): [size, tokens, ~$ per image, ~$ per 1,000 images]
const STANDARD_TABLE: Array<[number, number, number, number, number]> = [
  [200, 200, 54, 0.00016, 0.16],
  [1000, 1000, 1334, 0.004, 4.0],
  [1092, 1092, 1568, 0.0047, 4.7],
  [1920, 1080, 1568, 0.0047, 4.7],
  [2000, 1500, 1568, 0.0047, 4.7],
];
const HIGH_RES_TABLE: Array<[number, number, number, number, number]> = [
  [200, 200, 54, 0.00027, 0.27],
  [1000, 1000, 1334, 0.0067, 6.7],
  [1092, 1092, 1590, 0.008, 8.0],
  [1920, 1080, 2765, 0.014, 14.0],
  [2000, 1500, 4000, 0.02, 20.0],
];

// "~" in the guide: tokens within 1 where a floor lands; dollars as rounded in the table.
const roughly = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(expected * 0.03, 1e-5));

describe('imageCost, revision 2026-04: the guide cost tables', () => {
  it.each(STANDARD_TABLE)(
    'Sonnet 4.6, %ix%i → ~%i tokens, ~$%f, ~$%f per 1k',
    (w, h, tokens, usd, perThousand) => {
      const cost = imageCost(w, h, sonnet, '2026-04');
      expect(Math.abs(cost.tokens - tokens)).toBeLessThanOrEqual(1);
      roughly(cost.usd, usd);
      roughly(cost.usdPerThousand, perThousand);
    },
  );
  it.each(HIGH_RES_TABLE)(
    'Opus 4.7, %ix%i → ~%i tokens, ~$%f, ~$%f per 1k',
    (w, h, tokens, usd, perThousand) => {
      const cost = imageCost(w, h, opus47, '2026-04');
      expect(cost.tokens).toBe(tokens);
      roughly(cost.usd, usd);
      roughly(cost.usdPerThousand, perThousand);
    },
  );
  it('is exactly tokens × price', () => {
    expect(imageCost(1000, 1000, sonnet, '2026-04').usd).toBeCloseTo((1334 * 3) / 1e6, 12);
    expect(imageCost(1920, 1080, opus47, '2026-04').usdPerThousand).toBeCloseTo(2765 * 5 * 1e-3, 9);
    expect(imageCost(1000, 1000, catalog.find('claude-haiku-4-5')!, '2026-04').usd).toBeCloseTo(
      1334 / 1e6,
      12,
    );
  });
});
