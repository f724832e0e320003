// Limits every upstream request is held to, so a misbehaving upstream can hold neither a request nor
// the process's memory: time to connect, to the first byte (the headers), each silence after it, and
// the bytes of one response — the answer and an error body alike.
import { ApiError } from '../../errors/index.js';

/** Waiting for the response headers, and each silence mid-body (`timeout_ms`). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

/** Connecting (TCP and TLS) takes at most this, or `timeout_ms` when shorter: a longer wait is a dead host. */
export const MAX_CONNECT_TIMEOUT_MS = 10_000;

/** The most bytes read from one upstream response, stream, JSON or error body (`max_response_bytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The upstream sent more than `maxBytes`: reading stops, the request fails (the SDK does not retry). */
export const responseTooLarge = (backendName: string, maxBytes: number): ApiError =>
  new ApiError(500, 'api_error', `${backendName}: the upstream response exceeded ${maxBytes} bytes`, {
    retryable: false,
  });
