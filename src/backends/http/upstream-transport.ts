// The one HTTP transport of the remote backends: POSTs a request body to the backend's one upstream URL
// over a keep-alive pool of its own, and hands back the accepted answer's body. Everything that is not an
// accepted answer becomes Sightline's error here, the same way for every protocol: a failure status per
// the upstream status policy (the protocol only says how to read its error body), a network failure or
// a timeout as 500 api_error, a body past `maxResponseBytes` as 500 api_error, the caller's abort as
// RequestCancelledError.
//
// undici's `request` rather than its `fetch`: the same pool and timeouts without the WHATWG Request,
// Response and web-stream layers, which cost a text answer about a millisecond per request (bench/).
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { ApiError, pickRetryHints, throwIfCancelled } from '../../errors/index.js';
import { headerValue } from '../../net/index.js';
import { networkFailure } from './network-failure.js';
import { readCappedText, readPrefix } from './read-body.js';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_CONNECT_TIMEOUT_MS, responseTooLarge } from './upstream-limits.js';
import { type UpstreamErrorReading, upstreamError } from './upstream-status-policy.js';

/**
 * How a protocol reads the body of a failed answer (what vercel/ai's provider-utils calls an error
 * response handler): its message, and the wire type and details when the body carries them.
 */
export type ErrorBodyReader = (
  bodyText: string,
  answer: { backendName: string; status: number },
) => UpstreamErrorReading;

export interface UpstreamTransportSettings {
  /** Names the backend in error messages. */
  backendName: string;
  /** Where every request goes, e.g. `https://api.anthropic.com/v1/messages`. */
  url: string;
  /** Sent with every request. */
  headers: Record<string, string>;
  /** The wait for the response headers, and for each silence mid-body; to connect, at most MAX_CONNECT_TIMEOUT_MS. */
  timeoutMs: number;
  /** The most bytes read from one response (answer or error body). */
  maxResponseBytes?: number | undefined;
  readErrorBody: ErrorBodyReader;
}

/** An accepted (2xx) answer. Its body can be read once, as chunks or as text. */
export interface UpstreamAnswer {
  /** The media type of `content-type`, lower-cased, without parameters; '' when absent. */
  contentType: string;
  /** The body as it arrives; stopping early (break, return) hangs up on the upstream. */
  chunks: AsyncIterable<Uint8Array>;
  /** The whole body as UTF-8 text. */
  text(): Promise<string>;
}

export interface UpstreamTransport {
  /** POSTs `body` (JSON); throws ApiError unless the upstream accepted the request. */
  post(body: string, signal: AbortSignal): Promise<UpstreamAnswer>;
  /** Closes the pool, ending whatever is still in flight. */
  close(): Promise<void>;
}

export function createUpstreamTransport(settings: UpstreamTransportSettings): UpstreamTransport {
  const { backendName, timeoutMs, readErrorBody } = settings;
  const maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const url = new URL(settings.url);
  // undici would drop the user:password of the URL without a word; fetch refused such a URL, and so
  // does every request here (the operator is told why, the URL is not quoted).
  const refusal =
    url.username !== '' || url.password !== ''
      ? new ApiError(
          500,
          'api_error',
          `${backendName}: upstream unreachable (the upstream URL must not contain credentials)`,
        )
      : undefined;
  const target = { origin: url.origin, path: `${url.pathname}${url.search}` };
  // a user agent, as fetch sent one (some gateways refuse requests without); the backend's headers win
  const headers = { 'user-agent': 'Sightline', ...settings.headers, 'content-type': 'application/json' };
  const pool = new Agent({
    connect: { timeout: Math.min(timeoutMs, MAX_CONNECT_TIMEOUT_MS) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const tooLarge = () => responseTooLarge(backendName, maxResponseBytes);

  return {
    async post(body, signal) {
      if (refusal !== undefined) throw refusal;
      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({ ...target, method: 'POST', headers, body, signal });
      } catch (error) {
        throw networkFailure(backendName, error, signal, 'connect');
      }
      const { statusCode } = response;
      const responseBody = response.body as Readable;
      const retryHints = pickRetryHints({ get: (name) => headerValue(response.headers[name]) ?? null });
      if (statusCode < 200 || statusCode > 299) {
        // what arrives of the error body, at most the cap: the status is what the client needs
        const text = await readPrefix(responseBody, maxResponseBytes);
        throwIfCancelled(signal);
        throw upstreamError(
          backendName,
          statusCode,
          readErrorBody(text, { backendName, status: statusCode }),
          retryHints,
        );
      }
      const fail = (error: unknown) => networkFailure(backendName, error, signal, 'stream');
      return {
        contentType: mediaType(response.headers['content-type']),
        chunks: countChunks(responseBody, maxResponseBytes, tooLarge, fail),
        text: () => readCappedText(responseBody, maxResponseBytes, tooLarge, fail),
      };
    },
    async close() {
      await pool.destroy();
    },
  };
}

function mediaType(value: string | string[] | undefined): string {
  const text = headerValue(value) ?? '';
  const end = text.indexOf(';');
  return (end === -1 ? text : text.slice(0, end)).trim().toLowerCase();
}

/**
 * The body's chunks, counted against the cap; read failures (and the caller's abort) mapped. A consumer
 * that stops early (the protocol's end marker, `[DONE]` or `message_stop`, usually comes just before the
 * body's end) releases the body rather than destroying it: see `release`.
 */
async function* countChunks(
  body: Readable,
  maxBytes: number,
  tooLarge: () => ApiError,
  fail: (error: unknown) => ApiError,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  let settled = false;
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false })) {
      total += (chunk as Uint8Array).byteLength;
      if (total > maxBytes) throw tooLarge();
      yield chunk as Uint8Array;
    }
    settled = true;
  } catch (error) {
    settled = true;
    body.destroy(); // hangs up (a no-op for a body that failed on its own)
    throw fail(error);
  } finally {
    if (!settled) release(body);
  }
}

/**
 * The consumer stopped reading. A body that has arrived whole (the usual case: the answer's end marker
 * is its last bytes) is drained so its connection goes back to the pool, without the cost of destroying
 * a finished stream (an AbortError with its stack, ~0.1 ms); anything still arriving is hung up on.
 */
function release(body: Readable): void {
  if (body.readableEnded || body.destroyed) return;
  body.on('error', () => undefined);
  body.resume();
  setImmediate(() => {
    if (!body.readableEnded) body.destroy();
  });
}
