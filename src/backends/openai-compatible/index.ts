// Backend for OpenAI Chat Completions servers (Ollama, vLLM, llama.cpp server, LM Studio, OpenAI):
// translates the request (tools included), streams `POST {baseUrl}/chat/completions`, and yields text
// deltas, whole tool calls once the answer is finished, and one end.
import { ApiError } from '../../errors/index.js';
import { decodeServerSentEvents, type ServerSentEvent } from '../../net/index.js';
import {
  createUpstreamTransport,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  type UpstreamTransport,
  untilCancelled,
} from '../http/index.js';
import type { Backend, BackendEvent, BackendRequest } from '../types.js';
import { createOpenAiToolCallAccumulator } from './accumulate-openai-tool-calls.js';
import { buildOpenAiChatRequestBody } from './build-openai-chat-request-body.js';
import { mapUpstreamErrorPayload, readOpenAiErrorBody } from './map-openai-error.js';
import { mapOpenAiFinishReason } from './map-openai-finish-reason.js';
import {
  type OpenAiChatReading,
  parseUpstreamJson,
  readOpenAiChatChunk,
  readOpenAiChatCompletion,
  type UsageCounts,
} from './read-openai-chat-response.js';

export interface OpenAiCompatibleSettings {
  /** Names the backend in logs and error messages; default `openai-compatible`. */
  name?: string;
  /** Usually ends in `/v1`, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string;
  /** Caps connecting, waiting for the first byte, and each silence mid-stream; default 30 s. */
  timeoutMs?: number;
  /** The most bytes read from one upstream response (answer or error body); default 64 MiB. */
  maxResponseBytes?: number;
  /** Extra headers for every upstream request (they win over the defaults). */
  headers?: Record<string, string>;
}

const DEFAULT_NAME = 'openai-compatible';

export function createOpenAiCompatibleBackend(settings: OpenAiCompatibleSettings): Backend {
  const name = settings.name ?? DEFAULT_NAME;
  const baseUrl = validateBaseUrl(settings.baseUrl);
  const timeoutMs = settings.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(
      `createOpenAiCompatibleBackend: timeoutMs must be a positive number, got ${timeoutMs}`,
    );
  }
  const headers: Record<string, string> = { accept: 'text/event-stream, application/json' };
  if (settings.apiKey !== undefined && settings.apiKey !== '') {
    headers.authorization = `Bearer ${settings.apiKey}`;
  }
  for (const [headerName, value] of Object.entries(settings.headers ?? {})) {
    headers[headerName.toLowerCase()] = value;
  }
  const transport = createUpstreamTransport({
    backendName: name,
    url: `${baseUrl.replace(/\/+$/, '')}/chat/completions`,
    headers,
    timeoutMs,
    maxResponseBytes: settings.maxResponseBytes || undefined,
    readErrorBody: readOpenAiErrorBody,
  });
  return {
    name,
    generate: (request) => untilCancelled(generate(request, name, transport), request.signal),
    close: () => transport.close(),
  };
}

async function* generate(
  request: BackendRequest,
  backendName: string,
  transport: UpstreamTransport,
): AsyncGenerator<BackendEvent, void, undefined> {
  const upstreamBody = buildOpenAiChatRequestBody(request, backendName);
  // OpenAI and vLLM reject max_tokens < 1; an answer of zero tokens needs no upstream at all (the body
  // is still built above, so a request the upstream could not take fails the same way).
  if (request.settings.maxTokens === 0) {
    yield { type: 'start' };
    yield { type: 'end', stopReason: 'max_tokens', stopSequence: null, usage: { outputTokens: 0 } };
    return;
  }
  const response = await transport.post(JSON.stringify(upstreamBody), request.signal);
  // Accepted: the client gets its message_start now, not when the first token arrives.
  yield { type: 'start' };
  if (response.contentType === 'application/json' || response.contentType.endsWith('+json')) {
    const completion = readOpenAiChatCompletion(
      parseUpstreamJson(await response.text(), backendName),
      backendName,
    );
    const toolCalls = createOpenAiToolCallAccumulator(backendName);
    for (const fragment of completion.toolCalls) toolCalls.add(fragment);
    if (completion.text !== '') yield { type: 'text_delta', text: completion.text };
    const toolUses = toolCalls.drain();
    yield* toolUses;
    yield endEvent(completion.finishReason, completion.usage ?? {}, toolUses.length > 0);
    return;
  }

  let finishReason: string | null = null;
  let usage: UsageCounts = {};
  let sawDone = false;
  const toolCalls = createOpenAiToolCallAccumulator(backendName);
  let sawToolUse = false;
  /** Whole tool calls are yielded once the answer is finished (finish_reason, or [DONE]). */
  const drainToolCalls = (): BackendEvent[] => {
    const toolUses = toolCalls.drain();
    if (toolUses.length > 0) sawToolUse = true;
    return toolUses;
  };
  const readEvent = (event: ServerSentEvent): OpenAiChatReading | 'done' => {
    if (event.data === '[DONE]') return 'done';
    const payload = parseUpstreamJson(event.data, backendName);
    // Throws for an `{error: …}` payload, whatever the event is called.
    const reading = readOpenAiChatChunk(payload, backendName);
    if (event.event === 'error') throw mapUpstreamErrorPayload(backendName, payload);
    return reading;
  };
  for await (const dataEvent of decodeServerSentEvents(response.chunks)) {
    const reading = readEvent(dataEvent);
    if (reading === 'done') {
      sawDone = true;
      break;
    }
    if (reading.text !== '') yield { type: 'text_delta', text: reading.text };
    for (const fragment of reading.toolCalls) toolCalls.add(fragment);
    if (reading.finishReason !== null) {
      finishReason = reading.finishReason;
      yield* drainToolCalls();
    }
    if (reading.usage !== undefined) usage = { ...usage, ...reading.usage };
  }
  if (!sawDone && finishReason === null) {
    throw new ApiError(
      500,
      'api_error',
      `${backendName}: upstream stream ended before the answer was complete`,
    );
  }
  yield* drainToolCalls();
  yield endEvent(finishReason, usage, sawToolUse);
}

/**
 * Some servers (older Ollama among them) finish an answer that calls tools with `stop`: an answer that
 * called tools ends with `tool_use` unless it was cut short, or agents would not run the calls.
 */
function endEvent(finishReason: string | null, usage: UsageCounts, calledTools: boolean): BackendEvent {
  const mapped = mapOpenAiFinishReason(finishReason);
  const stopReason = calledTools && mapped === 'end_turn' ? 'tool_use' : mapped;
  return { type: 'end', stopReason, stopSequence: null, usage };
}

function validateBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    throw new TypeError(
      `createOpenAiCompatibleBackend: baseUrl must be an absolute URL, got ${String(baseUrl)}`,
    );
  }
  const protocol = new URL(baseUrl).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new TypeError(`createOpenAiCompatibleBackend: baseUrl must be http(s), got ${baseUrl}`);
  }
  return baseUrl;
}
