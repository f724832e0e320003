// Timing helpers for the benchmark. The machine is shared and noisy, so variants are measured
// interleaved (turn by turn, order rotated) and rounds are summarised by medians of ratios.
import { performance } from 'node:perf_hooks';

/** Rotates `items` by `by` places: alternates which variant runs first in each turn. */
export const rotate = (items, by) => items.map((_, index) => items[(index + by) % items.length]);

/** The value at the `p`th percentile (nearest rank, p in 0–100); NaN for no values. */
export const percentile = (values, p) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** CPU milliseconds (user + system, all threads) this process has used so far. */
export const cpuMsNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * A variant for `measureInterleaved`: runs `task` for at least `sliceMs` (at least once) and reports
 * the calls, the wall milliseconds and the process's CPU milliseconds (libvips threads included).
 * `batch` counts operations done inside one call of `task`.
 */
export const timedSlice =
  (task, { sliceMs = 0, batch = 1 } = {}) =>
  async () => {
    let calls = 0;
    let ms = 0;
    const cpuStart = cpuMsNow();
    const start = performance.now();
    do {
      await task();
      calls += batch;
      ms = performance.now() - start;
    } while (ms < sliceMs);
    return { calls, ms, cpuMs: cpuMsNow() - cpuStart };
  };

/**
 * Runs every variant once per turn, in an order rotated each turn, until `budgetMs` has passed and at
 * least `minTurns` turns are done (after `warmup` untimed turns), so background load on the machine
 * hits all variants alike. A variant is `() => Promise<{calls, ms, cpuMs}>` (from `timedSlice`, or a
 * worker process reporting its own timing). Returns, per variant, operations per wall second and CPU
 * milliseconds per operation (less sensitive to other tenants, but counts every thread's work).
 */
export async function measureInterleaved(variants, { budgetMs, minTurns = 2, warmup = 1 }) {
  const names = Object.keys(variants);
  for (let turn = 0; turn < warmup; turn += 1) {
    for (const name of names) await variants[name]();
  }
  const totals = Object.fromEntries(names.map((name) => [name, { calls: 0, ms: 0, cpuMs: 0 }]));
  const start = performance.now();
  let turns = 0;
  while (turns < minTurns || performance.now() - start < budgetMs) {
    for (const name of rotate(names, turns)) {
      const { calls, ms, cpuMs } = await variants[name]();
      totals[name].calls += calls;
      totals[name].ms += ms;
      totals[name].cpuMs += cpuMs;
    }
    turns += 1;
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        opsPerSecond: (totals[name].calls * 1000) / totals[name].ms,
        cpuMsPerOp: totals[name].cpuMs / totals[name].calls,
        calls: totals[name].calls,
        turns,
      },
    ]),
  );
}
