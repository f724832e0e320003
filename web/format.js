// Number formatting for the figures the page shows.

export const formatInt = (value) => value.toLocaleString('en-US');

/** US dollars to the micro-dollar (exact for whole-dollar prices per million tokens): $0.004701. */
export function formatUsd(value) {
  if (value === 0) return '$0';
  if (value >= 1) return `$${Number(value.toFixed(4))}`;
  const rounded = Number(value.toFixed(6));
  return `$${rounded === 0 ? value.toPrecision(2) : rounded}`;
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** A coordinate: integers as they are, fractions to two decimals. */
export const formatCoordinate = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

export const formatPoint = (point) => `(${formatCoordinate(point.x)}, ${formatCoordinate(point.y)})`;

/** Price per million tokens as the page shows it, e.g. "$3 / MTok". */
export const formatPrice = (perMillion) => `$${perMillion} / MTok`;
