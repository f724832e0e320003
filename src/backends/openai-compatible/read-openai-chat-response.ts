// Pure, tolerant readers of what an OpenAI-compatible upstream answers: one streamed chunk, or a whole
// non-streaming completion (text, tool call pieces, finish, usage). Unknown fields are ignored; an
// `{error}` payload becomes an ApiError.
import { ApiError } from '../../errors/index.js';
import { isRecord, parseJson } from '../../net/index.js';
import type { BackendEvent } from '../types.js';
import { mapUpstreamErrorPayload } from './map-openai-error.js';

export type UsageCounts = Extract<BackendEvent, { type: 'end' }>['usage'];

/** One piece of a tool call as the upstream sent it; a non-streaming completion sends whole calls. */
export interface OpenAiChatToolCallFragment {
  /** The call's position in the answer; undefined when the upstream left it out. */
  index: number | undefined;
  /** Sent with the first piece of a call; undefined when absent or empty. */
  id: string | undefined;
  /** Sent with the first piece of a call; undefined when absent or empty. */
  name: string | undefined;
  /** A piece of the arguments JSON text ('' when this piece carries none). */
  arguments: string;
}

/** What one chunk (or one completion) contributes to the answer. */
export interface OpenAiChatReading {
  text: string;
  /** `delta.tool_calls` (or `message.tool_calls`) in the order listed; empty when none. */
  toolCalls: OpenAiChatToolCallFragment[];
  /** `finish_reason` when this piece carried one, else null. */
  finishReason: string | null;
  /** Usage when this piece carried it, else undefined. */
  usage: UsageCounts | undefined;
}

/** Parses JSON from the upstream; malformed data is the upstream's fault, so 500 api_error. */
export function parseUpstreamJson(text: string, backendName: string): unknown {
  const parsed = parseJson(text);
  if (parsed === undefined) {
    const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new ApiError(500, 'api_error', `${backendName}: upstream sent malformed JSON: ${excerpt}`);
  }
  return parsed;
}

/** One `chat.completion.chunk`: `choices[0].delta.content`, `choices[0].finish_reason`, `usage`. */
export function readOpenAiChatChunk(payload: unknown, backendName: string): OpenAiChatReading {
  throwIfErrorPayload(payload, backendName);
  const choice = firstChoice(payload);
  const delta = choice !== undefined && isRecord(choice.delta) ? choice.delta : undefined;
  return {
    text: delta === undefined ? '' : readContentText(delta.content),
    toolCalls: delta === undefined ? [] : readToolCallFragments(delta.tool_calls, 'streamed'),
    finishReason: readFinishReason(choice),
    usage: readUsage(payload),
  };
}

/** A whole `chat.completion` (an upstream that ignored `stream: true`). */
export function readOpenAiChatCompletion(payload: unknown, backendName: string): OpenAiChatReading {
  throwIfErrorPayload(payload, backendName);
  const choice = firstChoice(payload);
  const message = choice !== undefined && isRecord(choice.message) ? choice.message : undefined;
  return {
    text: message === undefined ? '' : readContentText(message.content),
    toolCalls: message === undefined ? [] : readToolCallFragments(message.tool_calls, 'whole'),
    finishReason: readFinishReason(choice),
    usage: readUsage(payload),
  };
}

/** `prompt_tokens` → inputTokens, `completion_tokens` → outputTokens; counts not reported are omitted. */
export function mapOpenAiUsage(usage: unknown): UsageCounts {
  const counts: UsageCounts = {};
  if (!isRecord(usage)) return counts;
  if (isTokenCount(usage.prompt_tokens)) counts.inputTokens = usage.prompt_tokens;
  if (isTokenCount(usage.completion_tokens)) counts.outputTokens = usage.completion_tokens;
  return counts;
}

function throwIfErrorPayload(payload: unknown, backendName: string): void {
  if (isRecord(payload) && payload.error !== undefined && payload.error !== null) {
    throw mapUpstreamErrorPayload(backendName, payload.error);
  }
}

/** The choice with `index` 0 (or the first listed); chunks that only carry usage have none. */
function firstChoice(payload: unknown): Record<string, unknown> | undefined {
  if (!isRecord(payload) || !Array.isArray(payload.choices)) return undefined;
  const choices = payload.choices.filter(isRecord);
  return choices.find((choice) => choice.index === 0) ?? choices[0];
}

/** Content is usually a string; some servers send an array of `{type:'text', text}` parts. */
function readContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/**
 * Reads `tool_calls` entries. Streamed pieces keep their `index`; whole calls are placed by their position
 * in the list. Arguments sent as an object instead of JSON text (some servers) are serialised.
 */
function readToolCallFragments(toolCalls: unknown, form: 'streamed' | 'whole'): OpenAiChatToolCallFragment[] {
  if (!Array.isArray(toolCalls)) return [];
  const fragments: OpenAiChatToolCallFragment[] = [];
  toolCalls.forEach((entry: unknown, position) => {
    if (!isRecord(entry)) return;
    const fn = isRecord(entry.function) ? entry.function : {};
    fragments.push({
      index: form === 'whole' ? position : isTokenCount(entry.index) ? entry.index : undefined,
      id: nonEmptyString(entry.id),
      name: nonEmptyString(fn.name),
      arguments: readArgumentsText(fn.arguments),
    });
  });
  return fragments;
}

function readArgumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value)) return JSON.stringify(value);
  return '';
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readFinishReason(choice: Record<string, unknown> | undefined): string | null {
  return choice !== undefined && typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
}

function readUsage(payload: unknown): UsageCounts | undefined {
  return isRecord(payload) && isRecord(payload.usage) ? mapOpenAiUsage(payload.usage) : undefined;
}

function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
