// How an Anthropic upstream words its failures: the error envelope of a failed answer (its status is
// then mapped by the one upstream status policy, src/backends/http) and the in-band `error` event of a
// stream. The envelope's message, type and error code are the Claude API's own and pass on unchanged.
import { ApiError, type ApiErrorType, type ErrorDetails } from '../../errors/index.js';
import { parseJson } from '../../net/index.js';
import { credentialRefusal, type ErrorBodyReader } from '../http/index.js';

const API_ERROR_TYPES: ReadonlySet<string> = new Set<ApiErrorType>([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
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
 * The error body of a failed answer: an envelope gives its message, type and details (the upstream's
 * error code reaches the client's SDK, which picks its error class from it); anything else (a gateway's
 * HTML page, say) is quoted, shortened, after the status.
 */
export const readAnthropicErrorBody: ErrorBodyReader = (bodyText, { backendName, status }) => {
  const envelope = readErrorEnvelope(parseJson(bodyText));
  if (envelope !== null) {
    return {
      message: envelope.message,
      type: isApiErrorType(envelope.type) ? envelope.type : undefined,
      details: envelope.details,
    };
  }
  const quoted = bodyText.trim().slice(0, MAX_QUOTED_BODY);
  const detail = quoted === '' ? '' : `: ${quoted}`;
  return { message: `${backendName}: upstream answered HTTP ${status}${detail}` };
};

/** Maps the payload of an in-band `event: error` (after the upstream's 200) to an ApiError. */
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
