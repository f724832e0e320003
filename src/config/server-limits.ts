// The `server:` section of the configuration: connection, body and memory limits that keep one process
// serving under abuse. Every default is listed, with what a client sees past it, in docs/operations.md.
import { isRecord } from '../net/is-record.js';

export interface ServerLimits {
  /** The request line and headers must arrive within this (a silent connection is closed: 408). */
  headersTimeoutMs: number;
  /** A keep-alive connection with no request in flight is closed after this much silence. */
  keepAliveTimeoutMs: number;
  /** A JSON body (Messages, count_tokens) must arrive within this after its headers (408). */
  jsonBodyTimeoutMs: number;
  /** A whole request, upload bodies included, must arrive within this (408). */
  uploadTimeoutMs: number;
  /** Open client connections; past it the oldest connection with no request in flight is closed. */
  maxConnections: number;
  /** Deepest nesting of arrays and objects in a JSON body (400). */
  jsonMaxDepth: number;
  /** Most strings, numbers, literals, arrays and objects in a JSON body (400). */
  jsonMaxTokens: number;
  /** Server-wide budget of image bytes in flight: sources, decoded pixels, rendered views. */
  imageBudgetBytes: number;
  /** How long a request waits for room in the image budget before a 529 overloaded_error. */
  imageBudgetWaitMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 20_000,
  keepAliveTimeoutMs: 30_000,
  jsonBodyTimeoutMs: 60_000,
  uploadTimeoutMs: 15 * 60_000,
  maxConnections: 1_000,
  jsonMaxDepth: 128,
  jsonMaxTokens: 1_000_000,
  imageBudgetBytes: 512 * 1024 * 1024,
  imageBudgetWaitMs: 2_000,
};

const KEYS: Record<keyof ServerLimits, string> = {
  headersTimeoutMs: 'headers_timeout_ms',
  keepAliveTimeoutMs: 'keep_alive_timeout_ms',
  jsonBodyTimeoutMs: 'json_body_timeout_ms',
  uploadTimeoutMs: 'upload_timeout_ms',
  maxConnections: 'max_connections',
  jsonMaxDepth: 'json_max_depth',
  jsonMaxTokens: 'json_max_tokens',
  imageBudgetBytes: 'image_budget_bytes',
  imageBudgetWaitMs: 'image_budget_wait_ms',
};

/** Reads the `server:` mapping (snake_case keys, positive integers); `fail` reports a bad value. */
export function parseServerLimits(raw: unknown, fail: (message: string) => Error): ServerLimits {
  if (!isRecord(raw)) throw fail('server: expected a mapping');
  const limits = { ...DEFAULT_SERVER_LIMITS };
  const known = new Set(Object.values(KEYS));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw fail(`server.${key}: unknown setting (known: ${[...known].join(', ')})`);
  }
  for (const [field, key] of Object.entries(KEYS) as Array<[keyof ServerLimits, string]>) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) <= 0)
      throw fail(`server.${key}: expected a positive integer, got ${JSON.stringify(value)}`);
    limits[field] = value as number;
  }
  return limits;
}
