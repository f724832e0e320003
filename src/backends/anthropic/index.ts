// Backend that forwards to an Anthropic-compatible upstream (Anthropic, or Bedrock/Vertex gateways
// and other servers speaking its Messages API), re-emitting its streamed answer as BackendEvents.

import { decodeServerSentEvents, parseJson } from '../../net/index.js';
import { createUpstreamTransport, DEFAULT_UPSTREAM_TIMEOUT_MS, untilCancelled } from '../http/index.js';
import type { Backend, BackendEvent, BackendRequest } from '../types.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import { readAnthropicErrorBody } from './map-anthropic-error.js';
import { mapAnthropicMessage, mapAnthropicStream } from './map-anthropic-stream.js';

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
  /** Time allowed for response headers and for each silence in the stream (connecting: at most 10 s of
   * it). Default 30000 ms. */
  timeoutMs?: number;
  /** The most bytes read from one upstream response (answer or error body); default 64 MiB. */
  maxResponseBytes?: number;
  /** The `anthropic-version` header. Default `2023-06-01`. */
  anthropicVersion?: string;
  /** Extra headers (e.g. `anthropic-beta`, gateway auth); they override the defaults above. */
  headers?: Record<string, string>;
}

const DEFAULT_NAME = 'anthropic';
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

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
  const transport = createUpstreamTransport({
    backendName: name,
    url: messagesUrl,
    headers: buildHeaders(settings),
    timeoutMs,
    maxResponseBytes: settings.maxResponseBytes || undefined,
    readErrorBody: readAnthropicErrorBody,
  });

  async function* generate(request: BackendRequest): AsyncGenerator<BackendEvent> {
    const body = convertToAnthropicRequest({
      prompt: request.prompt,
      settings: request.settings,
      upstreamModel: request.upstreamModel,
      ...imageOptions,
    });
    const answer = await transport.post(JSON.stringify(body), request.signal);
    if (answer.contentType.includes('json')) {
      // An upstream that ignored `stream: true` and answered with a whole `Message`.
      yield* mapAnthropicMessage(parseJson(await answer.text()), name);
      return;
    }
    yield* mapAnthropicStream(decodeServerSentEvents(answer.chunks), name);
  }

  return {
    name,
    generate: (request) => untilCancelled(generate(request), request.signal),
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
  return headers; // content-type: application/json is the transport's
}
