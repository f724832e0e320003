// Backend that forwards to an Anthropic-compatible upstream (Anthropic, or Bedrock/Vertex gateways
// and other servers speaking its Messages API), re-emitting its streamed answer as BackendEvents.

import { decodeServerSentEvents, parseJson } from '../../net/index.js';
import type { Backend, BackendEvent, BackendRequest } from '../types.js';
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from '../upstream-limits.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { mapUpstreamErrorResponse } from './map-anthropic-error.js';
import { mapAnthropicMessage, mapAnthropicStream } from './map-anthropic-stream.js';
import { createAnthropicTransport } from './transport.js';

export interface AnthropicBackendSettings {
  /** Backend name used in logs and error messages. Default `anthropic`. */
  name?: string;
  /** Upstream origin (and optional path prefix); requests go to `{baseUrl}/v1/messages`. */
  baseUrl: string;
  /** Sent as `x-api-key` when set. */
  apiKey?: string;
  /** Send the model view (scaled + padded) as base64 instead of the client's source. Default true. */
  preResize?: boolean;
  /** Without pre-resizing, inline `url` sources as base64 (for base64-only gateways). Default false. */
  inlineSources?: boolean;
  /** Time allowed for response headers and for each silence in the stream. Default 30000 ms. */
  timeoutMs?: number;
  /** The most bytes read from one upstream response; default 64 MiB. */
  maxResponseBytes?: number;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  anthropicVersion?: string;
  /** Extra headers (e.g. `anthropic-beta`, gateway auth); they override the defaults above. */
  headers?: Record<string, string>;
}

const DEFAULT_NAME = 'anthropic';
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/** How much of an error body is read (envelopes are small; anything bigger is not one). */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** How much of a non-streaming JSON `Message` is read. */
const MAX_MESSAGE_BODY_BYTES = 64 * 1024 * 1024;

export function createAnthropicBackend(settings: AnthropicBackendSettings): Backend {
  const name = settings.name ?? DEFAULT_NAME;
  const messagesUrl = `${validateBaseUrl(settings.baseUrl)}/v1/messages`;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  if (name === '') throw new TypeError('createAnthropicBackend: name must not be empty');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`createAnthropicBackend: timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  const imageOptions = {
    preResize: settings.preResize ?? true,
    inlineSources: settings.inlineSources ?? false,
  };
  const headers = buildHeaders(settings);
  const transport = createAnthropicTransport({
    backendName: name,
    timeoutMs,
    ...(settings.maxResponseBytes ? { maxResponseBytes: settings.maxResponseBytes } : {}),
  });

  async function* generate(request: BackendRequest): AsyncGenerator<BackendEvent> {
    const body = convertToAnthropicRequest({
      prompt: request.prompt,
      settings: request.settings,
      upstreamModel: request.upstreamModel,
      ...imageOptions,
    });
    const response = await transport.post({
      url: messagesUrl,
      headers,
      body: JSON.stringify(body),
      signal: request.signal,
    });
    if (response.status < 200 || response.status > 299) {
      throw mapUpstreamErrorResponse(
        name,
        response.status,
        await response.text(MAX_ERROR_BODY_BYTES),
        response.retryHints,
      );
    }
    if (response.contentType.includes('json')) {
      // An upstream that ignored `stream: true` and answered with a whole `Message`.
      const text = await response.text(MAX_MESSAGE_BODY_BYTES);
      yield* mapAnthropicMessage(parseJson(text), name);
      return;
    }
    yield* mapAnthropicStream(decodeServerSentEvents(response.chunks), name);
  }

  return {
    name,
    generate,
    close: () => transport.close(),
  };
}

function validateBaseUrl(baseUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(
      `createAnthropicBackend: baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`,
    );
  }
  return baseUrl.replace(/\/+$/, '');
}

function buildHeaders(settings: AnthropicBackendSettings): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'text/event-stream, application/json',
    'anthropic-version': settings.anthropicVersion ?? DEFAULT_ANTHROPIC_VERSION,
  };
  if (settings.apiKey !== undefined) headers['x-api-key'] = settings.apiKey;
  for (const [key, value] of Object.entries(settings.headers ?? {})) headers[key.toLowerCase()] = value;
  headers['content-type'] = 'application/json';
  return headers;
}
