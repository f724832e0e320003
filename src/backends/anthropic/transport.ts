// The only I/O of the Anthropic backend: POSTs to the upstream with undici and streams the answer
// back, turning network failures (refused, reset, timed out, aborted) into ApiError.
import { Agent, fetch } from 'undici';
import { ApiError } from '../../errors/index.js';

export interface AnthropicTransportOptions {
  backendName: string;
  /** Time allowed for the response headers, and for each silence between body chunks. */
  timeoutMs: number;
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-cased `content-type`, '' when absent. */
  contentType: string;
  /** The body as it arrives; read failures become ApiError. Stopping early releases the connection. */
  chunks: AsyncIterable<Uint8Array>;
  /** Reads the body as text, keeping at most `limitBytes` (the rest is discarded). */
  text(limitBytes: number): Promise<string>;
}

export interface AnthropicTransport {
  post(request: UpstreamRequest): Promise<UpstreamResponse>;
  /** Closes the connection pool (aborting anything still in flight). */
  close(): Promise<void>;
}

const MAX_CONNECT_TIMEOUT_MS = 10_000;

export function createAnthropicTransport(options: AnthropicTransportOptions): AnthropicTransport {
  const { backendName, timeoutMs } = options;
  const agent = new Agent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, MAX_CONNECT_TIMEOUT_MS),
  });

  const failure = (error: unknown, signal: AbortSignal, what: string): ApiError => {
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (reason instanceof ApiError) return reason;
      return new ApiError(500, 'api_error', `${backendName}: request aborted`, { cause: reason });
    }
    if (error instanceof ApiError) return error;
    return new ApiError(500, 'api_error', `${backendName}: ${what}: ${describeFailure(error, timeoutMs)}`, {
      cause: error,
    });
  };

  return {
    async post(request) {
      let response: Awaited<ReturnType<typeof fetch>>;
      try {
        response = await fetch(request.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: request.signal,
          dispatcher: agent,
        });
      } catch (error) {
        throw failure(error, request.signal, 'upstream unreachable');
      }
      const body = response.body;
      async function* readChunks(): AsyncGenerator<Uint8Array> {
        if (body === null) return;
        try {
          for await (const chunk of body) yield chunk as Uint8Array;
        } catch (error) {
          throw failure(error, request.signal, 'upstream stream interrupted');
        }
      }
      const chunks = readChunks();
      return {
        status: response.status,
        contentType: (response.headers.get('content-type') ?? '').toLowerCase(),
        chunks,
        async text(limitBytes) {
          const kept: Uint8Array[] = [];
          let size = 0;
          for await (const chunk of chunks) {
            kept.push(chunk.subarray(0, Math.max(0, limitBytes - size)));
            size += chunk.byteLength;
            if (size >= limitBytes) break;
          }
          return Buffer.concat(kept).toString('utf8');
        },
      };
    },
    async close() {
      await agent.destroy();
    },
  };
}

/** A short human description of a network error (undici wraps the real cause in `fetch failed`). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no response within ${timeoutMs} ms`;
  if (code === 'UND_ERR_BODY_TIMEOUT') return `no data for ${timeoutMs} ms`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  if (cause instanceof AggregateError) {
    const first: unknown = cause.errors[0];
    if (first instanceof Error && first.message !== '') return first.message;
  }
  if (cause instanceof Error && cause.message !== '') return cause.message;
  return typeof code === 'string' ? code : String(cause);
}
