// The worked numbers of docs/rules/images.md §8 and §11 are what the code computes: each table row is
// read from the page and recomputed, so the page cannot drift from planImage and imageCost.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_MODELS,
  HIGH_RESOLUTION_PROFILE,
  STANDARD_PROFILE,
  type VisionProfile,
} from '../../src/catalog/index.js';
import { imageCost } from '../../src/imaging/cost.js';
import { planImage } from '../../src/imaging/plan.js';
import type { VisionRules } from '../../src/imaging/rules.js';

const page = readFileSync(new URL('../../docs/rules/images.md', import.meta.url), 'utf8');

/** The table rows (cells, trimmed) under a heading, up to the next heading. */
function tableRows(heading: string): string[][] {
  const start = page.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading "${heading}" in docs/rules/images.md`);
  const rest = page.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#{2,3} /));
  const lines = section.split('\n');
  return lines
    .filter((line, index) => line.startsWith('| ') && !lines[index + 1]?.startsWith('|---'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const SIZE = /(\d+)×(\d+)/g;
const sizes = (cell: string): Array<[number, number]> =>
  [...cell.matchAll(SIZE)].map((match) => [Number(match[1]), Number(match[2])]);
const tokensIn = (cell: string): number => Number(/, (\d+)/.exec(cell)?.[1]);

function expectPlan(original: string, cell: string, profile: VisionProfile, rules: VisionRules) {
  const [[width, height]] = sizes(original) as [[number, number]];
  const plan = planImage(width, height, profile, rules);
  const [view, canvas] = sizes(cell);
  expect([plan.viewWidth, plan.viewHeight], `${original} view`).toEqual(view);
  if (canvas !== undefined)
    expect([plan.canvasWidth, plan.canvasHeight], `${original} canvas`).toEqual(canvas);
  expect(plan.tokens, `${original} tokens`).toBe(tokensIn(cell));
}

describe('worked numbers', () => {
  it('docs/rules/images.md §8.1: revision 2026-09, view → canvas and tokens on both tiers', () => {
    const rows = tableRows('### 8.1 Revision 2026-09 (view → canvas, tokens)');
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const [original, standard, highResolution] of rows) {
      expectPlan(original!, standard!, STANDARD_PROFILE, '2026-09');
      expectPlan(original!, highResolution!, HIGH_RESOLUTION_PROFILE, '2026-09');
    }
  });

  it('docs/rules/images.md §8.2: revision 2026-04, view and tokens on both tiers', () => {
    const rows = tableRows('### 8.2 Revision 2026-04 (view, tokens)');
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [original, standard, highResolution] of rows) {
      if (standard !== '—') expectPlan(original!, standard!, STANDARD_PROFILE, '2026-04');
      if (highResolution !== '—') expectPlan(original!, highResolution!, HIGH_RESOLUTION_PROFILE, '2026-04');
    }
  });

  it('docs/rules/images.md §11: tokens and dollars of the 2026-09 cost examples, at catalog prices', () => {
    const rows = tableRows('## 11. Cost');
    expect(rows.length).toBe(3);
    for (const [image, revision2026_09] of rows) {
      const [[width, height]] = sizes(image!) as [[number, number]];
      const name = `Claude ${/(Sonnet 4\.6|Opus 4\.7)/.exec(image!)![1]}`;
      const model = BUILT_IN_MODELS.find((candidate) => candidate.displayName === name)!;
      const { tokens, usd } = imageCost(width, height, model, '2026-09');
      expect(revision2026_09).toContain(`${tokens} tokens: $${usd}`);
    }
  });
});
