// Sightline's HTTP API as the page uses it: models, count_tokens, Files API uploads, streamed messages.
// Every failure becomes an ApiError carrying the API's own error type and message.
import { readEvents } from './sse.js';

export const FILES_BETA = 'files-api-2025-04-14';
const API_VERSION = '2023-06-01';

export class ApiError extends Error {
  constructor(type, message, status) {
    super(message);
    this.name = 'ApiError';
    this.type = type;
    this.status = status;
  }
}

async function errorFrom(response) {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text);
    if (error?.message) return new ApiError(error.type ?? 'error', error.message, response.status);
  } catch {
    // not the JSON error envelope: fall through to the raw text
  }
  return new ApiError('http_error', `HTTP ${response.status}: ${text.slice(0, 300)}`, response.status);
}

/** `fetch`, with network failures worded for the page. */
async function call(url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError('network_error', `Could not reach Sightline: ${error.message}`);
  }
}

async function json(url, init) {
  const response = await call(url, init);
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

export function createApi(getKey) {
  const headers = (extra = {}) => ({ 'x-api-key': getKey(), 'anthropic-version': API_VERSION, ...extra });
  const jsonHeaders = (beta) =>
    headers({ 'content-type': 'application/json', ...(beta ? { 'anthropic-beta': beta } : {}) });

  return {
    /** Every model of GET /v1/models, with the `sightline` extension. */
    async listModels() {
      const page = await json('/v1/models?limit=1000', { headers: headers() });
      return page.data;
    },

    async countTokens(body, { signal, beta } = {}) {
      return json('/v1/messages/count_tokens', {
        method: 'POST',
        headers: jsonHeaders(beta),
        body: JSON.stringify(body),
        signal,
      });
    },

    /** POST /v1/files (multipart, field `file`, the Files API beta header): the file's metadata. */
    async uploadFile(blob, filename) {
      const form = new FormData();
      form.append('file', blob, filename);
      return json('/v1/files', {
        method: 'POST',
        headers: headers({ 'anthropic-beta': FILES_BETA }),
        body: form,
      });
    },

    /**
     * POST /v1/messages with `stream: true`; calls onEvent(name, data) for each SSE event as it arrives.
     * An HTTP error (JSON envelope) or an in-band `error` event throws an ApiError.
     */
    async streamMessage(body, { signal, beta, onEvent }) {
      const response = await call('/v1/messages', {
        method: 'POST',
        headers: jsonHeaders(beta),
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok) throw await errorFrom(response);
      if (!response.body) throw new ApiError('stream_error', 'The response has no body to stream');
      let stopped = false;
      for await (const frame of readEvents(response.body)) {
        let data;
        try {
          data = JSON.parse(frame.data);
        } catch {
          throw new ApiError('stream_error', `Unreadable event data: ${frame.data.slice(0, 200)}`);
        }
        const name = frame.event === 'message' ? data.type : frame.event;
        if (name === 'error') {
          throw new ApiError(
            data.error?.type ?? 'error',
            data.error?.message ?? 'Error in stream',
            response.status,
          );
        }
        onEvent(name, data);
        if (name === 'message_stop') stopped = true;
      }
      if (!stopped) throw new ApiError('stream_error', 'The stream ended before message_stop');
    },
  };
}
