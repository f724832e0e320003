// The response headers and status line of an error (docs/rules/wire.md §3): SDKs
// obey `x-should-retry` before the status, then wait `retry-after-ms` / `retry-after`.
import { STATUS_CODES } from 'node:http';
import { ApiError } from './api-error.js';

/** Retry hints an upstream may send; they pass through to our client unchanged. */
export const RETRY_HINT_HEADERS = ['retry-after', 'retry-after-ms', 'x-should-retry'] as const;

/**
 * Whether a client should retry this status: transient failures (408, 409, 429 and every 5xx, including
 * 503, 504 upstream timeouts and 529) yes; every other client error no — resending it cannot help.
 */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * The headers an error response carries: the error's own (an upstream's retry hints, a rate limiter's
 * `retry-after`), then `x-should-retry` from the policy unless an upstream already said.
 */
export function errorResponseHeaders(error: unknown): Record<string, string> {
  const apiError = error instanceof ApiError ? error : undefined;
  const status = apiError?.status ?? 500;
  const headers: Record<string, string> = { ...(apiError?.headers ?? {}) };
  if (headers['x-should-retry'] === undefined) {
    const retry = apiError?.retryable ?? isRetryableStatus(status);
    headers['x-should-retry'] = retry ? 'true' : 'false';
  }
  return headers;
}

/** Retry hints found in an upstream's response headers (lower-case names), to pass through. */
export function pickRetryHints(headers: { get(name: string): string | null }): Record<string, string> {
  const hints: Record<string, string> = {};
  for (const name of RETRY_HINT_HEADERS) {
    const value = headers.get(name);
    if (value !== null && value !== '') hints[name] = value;
  }
  return hints;
}

const EXTRA_REASON_PHRASES: Readonly<Record<number, string>> = { 529: 'Overloaded' };

/** The reason phrase of a status line; Node knows no phrase for 529 and would write `529 unknown`. */
export const reasonPhrase = (status: number): string =>
  EXTRA_REASON_PHRASES[status] ?? STATUS_CODES[status] ?? 'Error';
