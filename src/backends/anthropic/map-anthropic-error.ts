// Pure mapping of upstream failures (non-2xx responses, in-band `error` events) to Sightline's
// ApiError, keeping the upstream status, type and message wherever they are meaningful — never for a
// refusal of Sightline's own credentials, whose message can quote part of the operator's key.
import { ApiError, type ApiErrorType, type ErrorDetails } from '../../errors/index.js';
import { parseJson } from '../../net/index.js';

const API_ERROR_TYPES: ReadonlySet<string> = new Set<ApiErrorType>([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);

export function isApiErrorType(value: unknown): value is ApiErrorType {
  return typeof value === 'string' && API_ERROR_TYPES.has(value);
}

/** The wire `error.type` for an HTTP status that came without a usable type. */
export function errorTypeForStatus(status: number): ApiErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      // Other 4xx have no type of their own (docs/rules/wire.md §2.2); >= 500 and anything odd is api_error.
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** Reads `{type:'error', error:{type, message, details?}}` tolerantly; null when the value is not one. */
export function readErrorEnvelope(
  value: unknown,
): { type: unknown; message: string; details?: ErrorDetails } | null {
  if (typeof value !== 'object' || value === null) return null;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { type, message, details } = error as { type?: unknown; message?: unknown; details?: unknown };
  if (typeof message !== 'string') return null;
  const hasCode =
    typeof details === 'object' &&
    details !== null &&
    typeof (details as { error_code?: unknown }).error_code === 'string';
  return hasCode ? { type, message, details: details as ErrorDetails } : { type, message };
}

const MAX_QUOTED_BODY = 500;

/**
 * Maps a non-2xx upstream response (status + body text) to an ApiError. A 401/403 means the operator's
 * upstream key or its permissions are wrong, not the client's: 500 api_error without the upstream's words.
 */
export function mapUpstreamErrorResponse(
  backendName: string,
  status: number,
  bodyText: string,
  retryHints: Record<string, string> = {},
): ApiError {
  if (status === 401 || status === 403) return credentialRefusal(backendName, `HTTP ${status}`);
  // Statuses outside 4xx/5xx (an unfollowed redirect, say) are our failure to reach a real answer.
  const relayedStatus = status >= 400 && status <= 599 ? status : 500;
  const envelope = readErrorEnvelope(parseJson(bodyText));
  if (envelope !== null) {
    const type = isApiErrorType(envelope.type) ? envelope.type : errorTypeForStatus(relayedStatus);
    // the upstream's error code (an ImageDimensionsTooLargeError, say) reaches the client's SDK too
    const details = envelope.details === undefined ? {} : { details: envelope.details };
    return new ApiError(relayedStatus, type, envelope.message, { headers: retryHints, ...details });
  }
  const quoted = bodyText.trim().slice(0, MAX_QUOTED_BODY);
  const detail = quoted === '' ? '' : `: ${quoted}`;
  return new ApiError(
    relayedStatus,
    errorTypeForStatus(relayedStatus),
    `${backendName}: upstream answered HTTP ${status}${detail}`,
    { headers: retryHints },
  );
}

/** Maps the payload of an in-band `event: error` to an ApiError. */
export function mapInBandError(backendName: string, payload: unknown): ApiError {
  const envelope = readErrorEnvelope(payload);
  if (envelope === null) {
    return new ApiError(500, 'api_error', `${backendName}: upstream sent a malformed error event`);
  }
  if (envelope.type === 'overloaded_error') return new ApiError(529, 'overloaded_error', envelope.message);
  if (envelope.type === 'authentication_error' || envelope.type === 'permission_error') {
    return credentialRefusal(backendName, envelope.type);
  }
  const type = isApiErrorType(envelope.type) ? envelope.type : 'api_error';
  return new ApiError(500, type, envelope.message);
}

function credentialRefusal(backendName: string, detail: string): ApiError {
  // retrying cannot help until the operator fixes the key: x-should-retry false
  return new ApiError(
    500,
    'api_error',
    `${backendName}: the upstream refused Sightline's credentials (${detail})`,
    { retryable: false },
  );
}
