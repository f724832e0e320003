// Pure mapping of upstream failures (non-2xx answers, in-stream `{error}` payloads, network errors) to
// Sightline's ApiError; every message is `<backend name>: <what the upstream said>`, except where the
// upstream's words could leak the operator's secrets (credential refusals, network errors).
import { ApiError, type ApiErrorType } from '../../errors/index.js';
import { isRecord, parseJson } from '../../net/index.js';
import { describeNetworkFailure } from '../describe-network-failure.js';

/** The longest upstream body text quoted in an error message. */
const MAXIMUM_QUOTED_LENGTH = 2000;

/**
 * Maps an upstream HTTP status to the status and wire type Sightline answers with. 401/403 are not the
 * client's fault but the operator's (Sightline's upstream key or its permissions): 500 api_error.
 */
export function mapUpstreamStatus(upstreamStatus: number): { status: number; type: ApiErrorType } {
  switch (upstreamStatus) {
    case 400:
    case 422:
      return { status: 400, type: 'invalid_request_error' };
    case 404:
      return { status: 404, type: 'not_found_error' };
    case 413:
      return { status: 413, type: 'request_too_large' };
    case 429:
      return { status: 429, type: 'rate_limit_error' };
    case 503:
    case 529:
      return { status: 529, type: 'overloaded_error' };
    default:
      return { status: 500, type: 'api_error' };
  }
}

/** A non-2xx upstream answer: status mapped, message taken from `error.message` or the body text. */
export function mapUpstreamHttpError(
  backendName: string,
  upstreamStatus: number,
  bodyText: string,
  retryHints: Record<string, string> = {},
): ApiError {
  if (isCredentialRefusal(upstreamStatus)) return credentialRefusal(backendName, upstreamStatus);
  const { status, type } = mapUpstreamStatus(upstreamStatus);
  const message = extractUpstreamErrorMessage(bodyText) || `upstream answered HTTP ${upstreamStatus}`;
  return new ApiError(status, type, `${backendName}: ${message}`, { headers: retryHints });
}

/**
 * An `{error: …}` payload inside a 200 answer (mid-stream or in a JSON body). vLLM and others put the
 * HTTP status in `error.code`; without one the failure is the upstream's, so 500 api_error.
 */
export function mapUpstreamErrorPayload(backendName: string, error: unknown): ApiError {
  const message = describeErrorValue(error) || 'upstream reported an error';
  const code = isRecord(error) ? Number(error.code) : Number.NaN;
  const upstreamStatus = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
  if (isCredentialRefusal(upstreamStatus)) return credentialRefusal(backendName, upstreamStatus);
  const { status, type } = mapUpstreamStatus(upstreamStatus);
  return new ApiError(status, type, `${backendName}: ${message}`);
}

/**
 * Connection refused, DNS failure, timeout, socket reset: always 500 api_error. The message never quotes
 * the error (it can hold the upstream address and URL credentials); the error itself is the `cause`.
 */
export function mapUpstreamNetworkError(
  backendName: string,
  error: unknown,
  phase: 'connect' | 'stream',
): ApiError {
  const what = phase === 'connect' ? 'upstream unreachable' : 'upstream connection failed mid-answer';
  return new ApiError(500, 'api_error', `${backendName}: ${what} (${describeNetworkFailure(error)})`, {
    cause: error,
  });
}

const isCredentialRefusal = (upstreamStatus: number): boolean =>
  upstreamStatus === 401 || upstreamStatus === 403;

/** The upstream's own words are dropped: they can quote part of the operator's key. */
function credentialRefusal(backendName: string, upstreamStatus: number): ApiError {
  return new ApiError(
    500,
    'api_error',
    `${backendName}: the upstream refused Sightline's credentials (HTTP ${upstreamStatus})`,
    { retryable: false }, // retrying cannot help until the operator fixes the key
  );
}

/** The upstream's own words: OpenAI `{error:{message}}`, `{error:"…"}`, `{message}`, `{detail}`, or the text. */
export function extractUpstreamErrorMessage(bodyText: string): string {
  const trimmed = bodyText.trim();
  if (trimmed === '') return '';
  const payload = parseJson(trimmed);
  if (isRecord(payload)) {
    const fromError = describeErrorValue(payload.error);
    if (fromError !== '') return truncate(fromError);
    if (typeof payload.message === 'string' && payload.message !== '') return truncate(payload.message);
    if (typeof payload.detail === 'string' && payload.detail !== '') return truncate(payload.detail);
    if (payload.detail !== undefined) return truncate(JSON.stringify(payload.detail));
  }
  return truncate(trimmed);
}

function describeErrorValue(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  return '';
}

function truncate(text: string): string {
  return text.length > MAXIMUM_QUOTED_LENGTH ? `${text.slice(0, MAXIMUM_QUOTED_LENGTH)}…` : text;
}
