// Number formatting for the figures the page shows. Money has one format everywhere: US dollars with four
// significant digits ($0.004701, $0.03719, $1.235, $12.35), so figures side by side read alike.
import type { Point } from '../src/imaging/coordinates.js';

export const formatInt = (value: number): string => value.toLocaleString('en-US');

const USD = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumSignificantDigits: 4,
  maximumSignificantDigits: 4,
});

/** US dollars to four significant digits; zero is "$0". */
export const formatUsd = (value: number): string => (value === 0 ? '$0' : USD.format(value));

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** A duration: milliseconds under a second, then seconds with one or two decimals. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A coordinate: integers as they are, fractions to two decimals. */
const formatCoordinate = (value: number): string =>
  Number.isInteger(value) ? String(value) : value.toFixed(2);

export const formatPoint = (point: Point): string =>
  `(${formatCoordinate(point.x)}, ${formatCoordinate(point.y)})`;

/** Price per million tokens as the page shows it, e.g. "$3 / MTok" (a list price, not a computed cost). */
export const formatPrice = (perMillion: number): string => `$${perMillion} / MTok`;
