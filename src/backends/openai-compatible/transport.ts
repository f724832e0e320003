// The only file of this backend that does I/O: POSTs to `{baseUrl}/chat/completions` with undici and
// hands back the answer's bytes. Network failures become 500 api_error; an aborted request rethrows.
import { Agent, fetch } from 'undici';
import { pickRetryHints } from '../../errors/index.js';
import { createByteCounter, DEFAULT_MAX_RESPONSE_BYTES } from '../upstream-limits.js';
import { mapUpstreamNetworkError } from './map-openai-error.js';

export interface OpenAiTransportSettings {
  backendName: string;
  baseUrl: string;
  /** Sent with every request (content type, authorization and the configured extras). */
  headers: Record<string, string>;
  /** Caps connecting, waiting for the response headers, and each silence between body chunks. */
  timeoutMs: number;
  /** The most bytes read from one response; past it the request fails. */
  maxResponseBytes?: number;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-cased `content-type` without parameters, '' when absent. */
  contentType: string;
  /** The upstream's `retry-after`, `retry-after-ms` and `x-should-retry`, passed on with its errors. */
  retryHints: Record<string, string>;
  /** The body as byte chunks; stopping early (break/return) cancels the body. */
  readChunks(): AsyncGenerator<Uint8Array, void, undefined>;
  readText(): Promise<string>;
}

export interface OpenAiTransport {
  postChatCompletion(body: unknown, signal: AbortSignal): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function createOpenAiTransport(settings: OpenAiTransportSettings): OpenAiTransport {
  const { backendName, timeoutMs } = settings;
  const maxResponseBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const dispatcher = new Agent({
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  /** The caller's abort is not an upstream failure: rethrow it untouched. */
  const failure = (error: unknown, signal: AbortSignal, phase: 'connect' | 'stream'): unknown =>
    signal.aborted ? error : mapUpstreamNetworkError(backendName, error, phase);

  return {
    async postChatCompletion(body, signal) {
      let response: Awaited<ReturnType<typeof fetch>>;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: settings.headers,
          body: JSON.stringify(body),
          signal,
          dispatcher,
        });
      } catch (error) {
        throw failure(error, signal, 'connect');
      }
      const responseBody = response.body;
      const upstream: UpstreamResponse = {
        status: response.status,
        contentType: (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
        retryHints: pickRetryHints(response.headers),
        async *readChunks() {
          if (responseBody === null) return;
          const reader = responseBody.getReader();
          const count = createByteCounter(backendName, maxResponseBytes);
          let finished = false;
          try {
            while (true) {
              let result: Awaited<ReturnType<typeof reader.read>>;
              try {
                result = await reader.read();
              } catch (error) {
                finished = true;
                throw failure(error, signal, 'stream');
              }
              if (result.done) {
                finished = true;
                return;
              }
              count(result.value);
              yield result.value;
            }
          } finally {
            if (!finished) await reader.cancel().catch(() => undefined);
          }
        },
        async readText() {
          const chunks: Uint8Array[] = [];
          for await (const chunk of upstream.readChunks()) chunks.push(chunk);
          return Buffer.concat(chunks).toString('utf8');
        },
      };
      return upstream;
    },
    async close() {
      await dispatcher.close();
    },
  };
}
