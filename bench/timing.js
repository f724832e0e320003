// Timing helpers for the benchmark: a warm-up, then a fixed time budget per measurement, and
// medians over rounds (the machine is shared and noisy: compare ratios measured side by side).
import { performance } from 'node:perf_hooks';

/**
 * Runs `task` repeatedly for at least `budgetMs` and `minIterations` calls (after `warmup` untimed
 * calls) and returns operations per second. `opsPerCall` counts batched work inside one call.
 */
export async function measureRate(task, { budgetMs, minIterations = 3, warmup = 1, opsPerCall = 1 }) {
  for (let index = 0; index < warmup; index += 1) await task();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    await task();
    calls += 1;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs || calls < minIterations);
  return { opsPerSecond: (calls * opsPerCall * 1000) / elapsed, calls: calls * opsPerCall, ms: elapsed };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Rotates `items` by `by` places: alternates which variant runs first in each round. */
export const rotate = (items, by) => items.map((_, index) => items[(index + by) % items.length]);
