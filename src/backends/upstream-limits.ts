// Limits every upstream transport applies, so a misbehaving backend cannot hold a request or the
// process's memory: time to the first byte (and each silence after it), and total response bytes.
import { ApiError } from '../errors/index.js';

/** Connecting, waiting for response headers, and each silence mid-stream (`timeout_ms`). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;

/** The most bytes read from one upstream response, stream or JSON (`max_response_bytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The upstream sent more than `maxBytes`: reading stops, the request fails (the SDK does not retry). */
export const responseTooLarge = (backendName: string, maxBytes: number): ApiError =>
  new ApiError(500, 'api_error', `${backendName}: the upstream response exceeded ${maxBytes} bytes`, {
    retryable: false,
  });

/** Counts bytes as chunks pass, throwing `responseTooLarge` past the cap. */
export function createByteCounter(backendName: string, maxBytes: number): (chunk: Uint8Array) => void {
  let total = 0;
  return (chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) throw responseTooLarge(backendName, maxBytes);
  };
}
