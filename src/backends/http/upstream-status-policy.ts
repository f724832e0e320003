// The one policy for an upstream's failure status, whatever protocol the upstream speaks (the table:
// docs/operations.md, "Upstream errors"; why: docs/architecture.md, "Decisions worth knowing"). The
// client talks to Sightline as to the Claude API with its SDK, so an upstream status is relayed unchanged
// wherever SDK 1.15 has an error class for it — the client then raises the class, and retries exactly
// what it would have retried talking to that upstream itself — with one exception: a refusal of
// Sightline's own credentials is the operator's to fix.
import { ApiError, type ApiErrorType, type ErrorDetails } from '../../errors/index.js';

/** 4xx statuses SDK 1.15 raises a class of its own for (`BadRequestError` … `RequestHeaderFieldsTooLargeError`). */
const RELAYED_CLIENT_ERRORS: ReadonlySet<number> = new Set([
  400, 402, 404, 408, 409, 412, 413, 422, 429, 431,
]);

/**
 * The status Sightline answers for a failed upstream answer: every 5xx (503 and 529 included) and the
 * 4xx the SDK has a class for are kept; any other 4xx becomes 400 (the Claude API's status for a client
 * error without a type of its own); anything else (an unfollowed redirect, a status out of range) is
 * Sightline's failure to get an answer, 500. 401 and 403 never get here (see `upstreamError`).
 */
export function clientStatusFor(upstreamStatus: number): number {
  if (upstreamStatus >= 500 && upstreamStatus <= 599) return upstreamStatus;
  if (RELAYED_CLIENT_ERRORS.has(upstreamStatus)) return upstreamStatus;
  if (upstreamStatus >= 400 && upstreamStatus <= 499) return 400;
  return 500;
}

/** The wire `error.type` of a status whose upstream named no type Sightline knows. */
export function errorTypeForStatus(status: number): ApiErrorType {
  switch (status) {
    case 402:
      return 'billing_error';
    case 404:
      return 'not_found_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** What a protocol read from an error body: the message to show, and a wire type and details if it had any. */
export interface UpstreamErrorReading {
  message: string;
  type?: ApiErrorType | undefined;
  details?: ErrorDetails | undefined;
}

/**
 * A failed upstream answer as Sightline's error: the status per the policy above, the upstream's type
 * and details only when its status is relayed unchanged (else they would not fit the status), and its
 * retry hints (`retry-after`, `retry-after-ms`, `x-should-retry`) passed on to the client.
 */
export function upstreamError(
  backendName: string,
  upstreamStatus: number,
  reading: UpstreamErrorReading,
  retryHints: Record<string, string> = {},
): ApiError {
  if (upstreamStatus === 401 || upstreamStatus === 403) {
    return credentialRefusal(backendName, `HTTP ${upstreamStatus}`);
  }
  const status = clientStatusFor(upstreamStatus);
  const relayed = status === upstreamStatus;
  const type = relayed && reading.type !== undefined ? reading.type : errorTypeForStatus(status);
  const details = relayed && reading.details !== undefined ? { details: reading.details } : {};
  return new ApiError(status, type, reading.message, { headers: retryHints, ...details });
}

/**
 * The upstream refused Sightline's key or its permissions: not the client's fault, so 500 api_error, and
 * not worth a retry until the operator fixes the key. The upstream's words are dropped: they can quote
 * part of the key.
 */
export function credentialRefusal(backendName: string, detail: string): ApiError {
  return new ApiError(
    500,
    'api_error',
    `${backendName}: the upstream refused Sightline's credentials (${detail})`,
    { retryable: false },
  );
}
