// The only I/O of the Anthropic backend: POSTs to the upstream with undici and streams the answer
// back, turning network failures (refused, reset, timed out, aborted) into ApiError.
import { Agent, fetch } from 'undici';
import { ApiError, pickRetryHints } from '../../errors/index.js';
import { describeNetworkFailure } from '../describe-network-failure.js';
import { createByteCounter, DEFAULT_MAX_RESPONSE_BYTES } from '../upstream-limits.js';

export interface AnthropicTransportOptions {
  backendName: string;
  /** Time allowed for the response headers, and for each silence between body chunks. */
  timeoutMs: number;
  /** The most bytes read from one response; past it the request fails. */
  maxResponseBytes?: number;
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
  /** The upstream's `retry-after`, `retry-after-ms` and `x-should-retry`, passed on with its errors. */
  retryHints: Record<string, string>;
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
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
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
    // Never the error's own message: it can name the upstream address and URL credentials.
    return new ApiError(500, 'api_error', `${backendName}: ${what} (${describeNetworkFailure(error)})`, {
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
        const count = createByteCounter(backendName, maxResponseBytes);
        try {
          for await (const chunk of body) {
            count(chunk as Uint8Array);
            yield chunk as Uint8Array;
          }
        } catch (error) {
          throw failure(error, request.signal, 'upstream stream interrupted');
        }
      }
      const chunks = readChunks();
      return {
        status: response.status,
        contentType: (response.headers.get('content-type') ?? '').toLowerCase(),
        retryHints: pickRetryHints(response.headers),
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
