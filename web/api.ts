// Sightline's HTTP API as the page uses it: models, count_tokens, Files API uploads, streamed messages.
// Every failure becomes an ApiError carrying the API's own error type and message. The stream is decoded
// by the server's own SSE decoder (src/net/server-sent-events.ts), not a copy.
import { createServerSentEventTextDecoder, type ServerSentEvent } from '../src/net/server-sent-events.js';
import type { MessagesRequest, StreamEvent } from '../src/wire/index.js';
import type { ModelInfo } from './types.js';

export const FILES_BETA = 'files-api-2025-04-14';
const API_VERSION = '2023-06-01';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly type: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Whether a failure is a stop the user asked for (an aborted fetch or stream). */
export const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

/** A caught value as the page shows it: an ApiError's type, else `error`, and a message. */
export function shownError(error: unknown): { type: string; message: string } {
  if (error instanceof ApiError) return { type: error.type, message: error.message };
  return { type: 'error', message: error instanceof Error ? error.message : String(error) };
}

function errorFromText(status: number, text: string): ApiError {
  try {
    const { error } = JSON.parse(text) as { error?: { type?: string; message?: string } };
    if (error?.message) return new ApiError(error.type ?? 'error', error.message, status);
  } catch {
    // not the JSON error envelope: fall through to the raw text
  }
  return new ApiError('http_error', `HTTP ${status}: ${text.slice(0, 300)}`, status);
}

const errorFrom = async (response: Response) => errorFromText(response.status, await response.text());

/** `fetch`, with network failures worded for the page. */
async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError('network_error', `Could not reach Sightline: ${shownError(error).message}`);
  }
}

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const response = await call(url, init);
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

/** GET /v1/sightline/spend: the workspace's spend since midnight UTC. */
export interface Spend {
  amount_usd: number;
  requests: number;
  images: number;
}

/** The Messages body the page sends (the wire type with the fields the page sets). */
export type MessagesBody = MessagesRequest;

/** Options of a request: its abort signal, the anthropic-beta header, headers beyond the API's own. */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  beta?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export interface StreamOptions extends RequestOptions {
  /** Each event of the stream as it arrives (an `error` event rejects instead). */
  onEvent: (event: StreamEvent) => void;
  /** While the request body goes out. */
  onUploadProgress?: (sent: number, total: number) => void;
  /** Once the request body is out. */
  onUploaded?: () => void;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(getKey: () => string) {
  const headers = (extra: Record<string, string> = {}) => ({
    'x-api-key': getKey(),
    'anthropic-version': API_VERSION,
    ...extra,
  });
  const jsonHeaders = (beta: string | undefined, extra: Record<string, string> = {}) =>
    headers({ 'content-type': 'application/json', ...(beta ? { 'anthropic-beta': beta } : {}), ...extra });

  return {
    /** The workspace's spend since midnight UTC (Sightline's own endpoint). */
    spendToday: () => json<Spend>('/v1/sightline/spend', { headers: headers() }),

    /** Every model of GET /v1/models, with the `sightline` extension. */
    async listModels(): Promise<ModelInfo[]> {
      const page = await json<{ data: ModelInfo[] }>('/v1/models?limit=1000', { headers: headers() });
      return page.data;
    },

    countTokens(
      body: Pick<MessagesRequest, 'model' | 'system' | 'messages'>,
      { signal, beta, headers: extra }: RequestOptions = {},
    ): Promise<{ input_tokens: number }> {
      return json('/v1/messages/count_tokens', {
        method: 'POST',
        headers: jsonHeaders(beta, extra),
        body: JSON.stringify(body),
        signal: signal ?? null,
      });
    },

    /** POST /v1/files (multipart, field `file`, the Files API beta header): the file's metadata. */
    uploadFile(blob: Blob, filename: string): Promise<{ id: string }> {
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
     * request body has been uploaded. Resolves at message_stop; an HTTP error (JSON envelope) or an
     * in-band `error` event rejects with an ApiError; abort() on `signal` rejects with an AbortError.
     */
    streamMessage(body: MessagesBody, options: StreamOptions): Promise<void> {
      const { signal, beta, headers: extra, onEvent, onUploadProgress, onUploaded } = options;
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        const decoder = createServerSentEventTextDecoder();
        let settled = false;
        let uploaded = false;
        let seen = 0;
        let stopped = false;
        const finish = (error?: unknown) => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        };
        const fail = (error: unknown) => {
          finish(error);
          xhr.abort();
        };
        const markUploaded = () => {
          if (uploaded) return;
          uploaded = true;
          onUploaded?.();
        };
        const take = (frame: ServerSentEvent) => {
          if (settled) return;
          let data: StreamEvent;
          try {
            data = JSON.parse(frame.data) as StreamEvent;
          } catch {
            fail(new ApiError('stream_error', `Unreadable event data: ${frame.data.slice(0, 200)}`));
            return;
          }
          // the event's name is its data's `type` (the `event:` line repeats it)
          if (data.type === 'error') {
            fail(
              new ApiError(data.error?.type ?? 'error', data.error?.message ?? 'Error in stream', xhr.status),
            );
            return;
          }
          try {
            onEvent(data);
          } catch (error) {
            fail(error);
            return;
          }
          if (data.type === 'message_stop') stopped = true;
        };
        /** Decodes what arrived since the last call; a line over the decoder's cap fails the stream. */
        const readNew = (end = false) => {
          const text = xhr.responseText;
          try {
            if (text.length > seen) {
              const chunk = text.slice(seen);
              seen = text.length;
              for (const frame of decoder.push(chunk)) take(frame);
            }
            if (end) for (const frame of decoder.finish()) take(frame);
          } catch (error) {
            fail(new ApiError('stream_error', `Unreadable stream: ${shownError(error).message}`));
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
          readNew(true);
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
