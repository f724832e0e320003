// Formatting for the benchmark: number formats and the plain-text results table
// (case | Sightline | alternative | ratio | target | met?).

const MIB = 1024 * 1024;

export const formatRate = (opsPerSecond, unit = 'img/s') => {
  if (opsPerSecond >= 1000) return `${Math.round(opsPerSecond).toLocaleString('en-US')} ${unit}`;
  if (opsPerSecond >= 100) return `${opsPerSecond.toFixed(0)} ${unit}`;
  if (opsPerSecond >= 10) return `${opsPerSecond.toFixed(1)} ${unit}`;
  return `${opsPerSecond.toFixed(2)} ${unit}`;
};

/** "17.2 img/s (58.1 ms)": rate and the time per operation. */
export const formatRateAndTime = (opsPerSecond, unit = 'img/s') => {
  const ms = 1000 / opsPerSecond;
  const time =
    ms >= 1
      ? `${ms.toFixed(1)} ms`
      : ms >= 0.001
        ? `${(ms * 1000).toFixed(2)} µs`
        : `${(ms * 1e6).toFixed(0)} ns`;
  return `${formatRate(opsPerSecond, unit)} (${time})`;
};

export const formatRatio = (ratio) =>
  ratio >= 100 ? `${Math.round(ratio).toLocaleString('en-US')}×` : `${ratio.toFixed(ratio >= 10 ? 1 : 2)}×`;

export const formatMiB = (bytes) => `${(bytes / MIB).toFixed(0)} MiB`;

export const RESULT_COLUMNS = [
  ['case', 'case'],
  ['sightline', 'Sightline'],
  ['alternative', 'alternative'],
  ['ratio', 'ratio'],
  ['target', 'target'],
  ['met', 'met?'],
];

/** Renders rows as an aligned text table; `columns` are [key, title] pairs. A `met` cell shows yes/MISSED/—. */
export function formatTable(rows, columns = RESULT_COLUMNS) {
  const cells = rows.map((row) =>
    columns.map(([key]) => {
      if (key !== 'met') return String(row[key] ?? '');
      if (row.met === null || row.met === undefined) return '—';
      return row.met ? 'yes' : 'MISSED';
    }),
  );
  const widths = columns.map(([, title], index) =>
    Math.max(title.length, ...cells.map((line) => line[index].length)),
  );
  const line = (values) => `| ${values.map((value, index) => value.padEnd(widths[index])).join(' | ')} |`;
  return [
    line(columns.map(([, title]) => title)),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
