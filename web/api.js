// Sightline's HTTP API as the page uses it: models, count_tokens, Files API uploads, streamed messages.
// Every failure becomes an ApiError carrying the API's own error type and message.
import { createEventParser } from './sse.js';

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

function errorFromText(status, text) {
  try {
    const { error } = JSON.parse(text);
    if (error?.message) return new ApiError(error.type ?? 'error', error.message, status);
  } catch {
    // not the JSON error envelope: fall through to the raw text
  }
  return new ApiError('http_error', `HTTP ${status}: ${text.slice(0, 300)}`, status);
}

const errorFrom = async (response) => errorFromText(response.status, await response.text());

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
  const jsonHeaders = (beta, extra = {}) =>
    headers({ 'content-type': 'application/json', ...(beta ? { 'anthropic-beta': beta } : {}), ...extra });

  return {
    /** The workspace's spend since midnight UTC (Sightline's own endpoint). */
    async spendToday() {
      return json('/v1/sightline/spend', { headers: headers() });
    },

    /** Every model of GET /v1/models, with the `sightline` extension. */
    async listModels() {
      const page = await json('/v1/models?limit=1000', { headers: headers() });
      return page.data;
    },

    async countTokens(body, { signal, beta, headers: extra } = {}) {
      return json('/v1/messages/count_tokens', {
        method: 'POST',
        headers: jsonHeaders(beta, extra),
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
     * POST /v1/messages with `stream: true` through XMLHttpRequest, which (unlike fetch) reports when the
     * request body has been uploaded. onUploadProgress(sent, total) while the body goes out, onUploaded()
     * once it is out, onEvent(name, data) for each SSE event as it arrives. Resolves at message_stop; an
     * HTTP error (JSON envelope) or an in-band `error` event rejects with an ApiError; abort() on `signal`
     * rejects with an AbortError.
     */
    streamMessage(body, { signal, beta, headers: extra, onEvent, onUploadProgress, onUploaded }) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        let settled = false;
        let uploaded = false;
        let seen = 0;
        let stopped = false;
        const finish = (error) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        };
        const markUploaded = () => {
          if (uploaded) return;
          uploaded = true;
          onUploaded?.();
        };
        const parser = createEventParser((frame) => {
          if (settled) return;
          let data;
          try {
            data = JSON.parse(frame.data);
          } catch {
            finish(new ApiError('stream_error', `Unreadable event data: ${frame.data.slice(0, 200)}`));
            xhr.abort();
            return;
          }
          const name = frame.event === 'message' ? data.type : frame.event;
          if (name === 'error') {
            finish(
              new ApiError(data.error?.type ?? 'error', data.error?.message ?? 'Error in stream', xhr.status),
            );
            xhr.abort();
            return;
          }
          try {
            onEvent(name, data);
          } catch (error) {
            finish(error);
            xhr.abort();
            return;
          }
          if (name === 'message_stop') stopped = true;
        });
        const readNew = () => {
          const text = xhr.responseText;
          if (text.length > seen) {
            const chunk = text.slice(seen);
            seen = text.length;
            parser.push(chunk);
          }
        };
        function onAbort() {
          xhr.abort();
          finish(new DOMException('The request was stopped', 'AbortError'));
        }
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort);
        xhr.open('POST', '/v1/messages');
        for (const [name, value] of Object.entries(jsonHeaders(beta, extra)))
          xhr.setRequestHeader(name, value);
        xhr.upload.addEventListener('progress', (event) => onUploadProgress?.(event.loaded, event.total));
        xhr.upload.addEventListener('load', markUploaded);
        xhr.addEventListener('readystatechange', () => {
          if (xhr.readyState >= XMLHttpRequest.HEADERS_RECEIVED) markUploaded();
        });
        xhr.addEventListener('progress', () => {
          if (xhr.status === 200) readNew();
        });
        xhr.addEventListener('load', () => {
          if (xhr.status !== 200) {
            finish(errorFromText(xhr.status, xhr.responseText));
            return;
          }
          readNew();
          parser.end();
          if (!stopped) finish(new ApiError('stream_error', 'The stream ended before message_stop'));
          else finish();
        });
        xhr.addEventListener('error', () =>
          finish(new ApiError('network_error', 'Could not reach Sightline: the connection failed')),
        );
        xhr.send(JSON.stringify(body));
      });
    },
  };
}
