// The `server:` section of the configuration: connection, body and memory limits that keep one process
// serving under abuse. Every default is listed, with what a client sees past it, in docs/operations.md.
import type { z } from 'zod';
import { camelize, positiveInteger, section } from './schema-fields.js';

export const serverLimitsSchema = section({
  /** The request line and headers must arrive within this (a silent connection is closed: 408). */
  headers_timeout_ms: positiveInteger().default(20_000),
  /** A keep-alive connection with no request in flight is closed after this much silence. */
  keep_alive_timeout_ms: positiveInteger().default(30_000),
  /** A JSON body (Messages, count_tokens) must arrive within this after its headers (408). */
  json_body_timeout_ms: positiveInteger().default(60_000),
  /** A whole request, upload bodies included, must arrive within this (408). */
  upload_timeout_ms: positiveInteger().default(15 * 60_000),
  /** Open client connections; past it the oldest connection with no request in flight is closed. */
  max_connections: positiveInteger().default(1_000),
  /** Deepest nesting of arrays and objects in a JSON body (400). */
  json_max_depth: positiveInteger().default(128),
  /** Most strings, numbers, literals, arrays and objects in a JSON body (400). */
  json_max_tokens: positiveInteger().default(1_000_000),
  /** Server-wide budget of image bytes in flight: sources, decoded pixels, rendered views. */
  image_budget_bytes: positiveInteger().default(512 * 1024 * 1024),
  /** How long a request waits for room in the image budget before a 529 overloaded_error. */
  image_budget_wait_ms: positiveInteger().default(2_000),
}).transform(camelize);

/** `{ headersTimeoutMs, keepAliveTimeoutMs, …, imageBudgetWaitMs }`, every one set. */
export type ServerLimits = z.output<typeof serverLimitsSchema>;

export const DEFAULT_SERVER_LIMITS: ServerLimits = serverLimitsSchema.parse({});
