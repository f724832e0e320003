// How an OpenAI-compatible upstream words its failures: the body of a failed answer (its status is then
// mapped by the one upstream status policy, src/backends/http) and an `{error: …}` payload inside a 200
// answer. Every message is `<backend name>: <what the upstream said>`.
import type { ApiError } from '../../errors/index.js';
import { isRecord, parseJson } from '../../net/index.js';
import { type ErrorBodyReader, upstreamError } from '../http/index.js';

/** The longest upstream body text quoted in an error message. */
const MAXIMUM_QUOTED_LENGTH = 2000;

/** The error body of a failed answer: only its words (OpenAI's error types are not the Claude API's). */
export const readOpenAiErrorBody: ErrorBodyReader = (bodyText, { backendName, status }) => ({
  message: `${backendName}: ${extractUpstreamErrorMessage(bodyText) || `upstream answered HTTP ${status}`}`,
});

/**
 * An `{error: …}` payload inside a 200 answer (mid-stream or in a JSON body). vLLM and others put the
 * HTTP status in `error.code`, mapped like the status of a failed answer; without one the failure is
 * the upstream's, so 500 api_error.
 */
export function mapUpstreamErrorPayload(backendName: string, error: unknown): ApiError {
  const message = describeErrorValue(error) || 'upstream reported an error';
  const code = isRecord(error) ? Number(error.code) : Number.NaN;
  const upstreamStatus = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
  return upstreamError(backendName, upstreamStatus, { message: `${backendName}: ${message}` });
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
