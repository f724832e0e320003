// Pure mapping of an Anthropic Messages response (SSE events, or a JSON `Message`) to BackendEvents:
// `start` on the upstream's message_start (with its usage counts), text deltas as they arrive, tool calls
// streamed piece by piece (each input_json_delta relayed as it came; the joined input parsed at the
// block's stop), then one `end` with the stop reason and the upstream's usage counts. Thinking blocks are skipped; any other
// block (server_tool_use and its results, …) fails the answer rather than being silently dropped.
import { ApiError } from '../../errors/index.js';
import type { ServerSentEvent } from '../../net/index.js';
import { isRecord, parseJson } from '../../net/index.js';
import type { StopReason } from '../../wire/index.js';
import type { BackendEvent } from '../types.js';
import { mapInBandError } from './map-anthropic-error.js';

type EndEvent = Extract<BackendEvent, { type: 'end' }>;

/** Accumulated state of one upstream stream (message_delta counts are cumulative: overwrite). */
interface StreamState {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  stopReason: StopReason | null;
  stopSequence: string | null;
  /** the tool_use block being streamed, by its index */
  toolUse: { index: number; json: string } | undefined;
  /** whether `start` was yielded */
  started: boolean;
}

/** Events whose payload we read; others (ping, content_block_stop, unknown) are skipped. */
const READ_EVENTS = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'error',
]);

export async function* mapAnthropicStream(
  events: AsyncIterable<ServerSentEvent>,
  backendName: string,
): AsyncGenerator<BackendEvent> {
  const state: StreamState = {
    inputTokens: undefined,
    outputTokens: undefined,
    stopReason: null,
    stopSequence: null,
    toolUse: undefined,
    started: false,
  };
  for await (const frame of events) {
    const payload = parseJson(frame.data);
    // Dispatch on the SSE event name, as the SDKs do; fall back to the JSON `type` when it is missing.
    const kind = frame.event ?? readString(payload, 'type');
    if (kind === null || !READ_EVENTS.has(kind)) continue;
    if (!isRecord(payload)) {
      throw new ApiError(500, 'api_error', `${backendName}: upstream sent a malformed ${kind} event`);
    }
    // An error before message_start stays an HTTP error; anything else means the answer is under way.
    if (!state.started && kind !== 'error') {
      state.started = true;
      yield kind === 'message_start' ? startEvent(payload, state) : { type: 'start' };
      if (kind === 'message_start') continue;
    }
    switch (kind) {
      case 'message_start':
        break; // a repeated message_start adds nothing
      case 'content_block_start': {
        const block = payload.content_block;
        checkBlockType(block, backendName);
        if (isRecord(block) && block.type === 'tool_use') {
          state.toolUse = { index: Number(payload.index), json: '' };
          yield { type: 'tool_use_start', id: String(block.id), name: String(block.name) };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = payload.delta;
        if (!isRecord(delta)) break;
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
          yield { type: 'text_delta', text: delta.text };
        } else if (
          delta.type === 'input_json_delta' &&
          typeof delta.partial_json === 'string' &&
          state.toolUse
        ) {
          state.toolUse.json += delta.partial_json;
          if (delta.partial_json !== '') yield { type: 'tool_input_delta', partialJson: delta.partial_json };
        }
        // thinking_delta, signature_delta and citations_delta are not relayed
        break;
      }
      case 'content_block_stop': {
        const toolUse = state.toolUse;
        if (toolUse && toolUse.index === Number(payload.index)) {
          state.toolUse = undefined;
          yield { type: 'tool_use_stop', input: parseToolInput(toolUse.json, backendName) };
        }
        break;
      }
      case 'message_delta': {
        const delta = payload.delta;
        if (isRecord(delta)) {
          if (typeof delta.stop_reason === 'string') state.stopReason = delta.stop_reason as StopReason;
          if (typeof delta.stop_sequence === 'string') state.stopSequence = delta.stop_sequence;
        }
        const outputTokens = readCount(payload.usage, 'output_tokens');
        if (outputTokens !== undefined) state.outputTokens = outputTokens;
        const inputTokens = readCount(payload.usage, 'input_tokens');
        if (inputTokens !== undefined) state.inputTokens = inputTokens;
        break;
      }
      case 'message_stop':
        yield endEvent(state);
        return;
      case 'error':
        throw mapInBandError(backendName, payload);
    }
  }
  // Tolerated: a stream cut after its final message_delta is complete in all but the last frame.
  if (state.stopReason !== null) {
    yield endEvent(state);
    return;
  }
  throw new ApiError(500, 'api_error', `${backendName}: upstream stream ended before message_stop`);
}

/** Maps a non-streaming JSON `Message` (an upstream that ignored `stream: true`). */
export function mapAnthropicMessage(payload: unknown, backendName: string): BackendEvent[] {
  if (!isRecord(payload)) {
    throw new ApiError(500, 'api_error', `${backendName}: upstream answered with a malformed message`);
  }
  if (payload.type === 'error') throw mapInBandError(backendName, payload);
  const inputTokens = readCount(payload.usage, 'input_tokens');
  const events: BackendEvent[] = [{ type: 'start', usage: inputTokens === undefined ? {} : { inputTokens } }];
  if (Array.isArray(payload.content)) {
    for (const block of payload.content as unknown[]) {
      checkBlockType(block, backendName);
      if (isRecord(block) && block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
        events.push({ type: 'text_delta', text: block.text });
      } else if (isRecord(block) && block.type === 'tool_use') {
        events.push({
          type: 'tool_use',
          id: String(block.id),
          name: String(block.name),
          input: block.input ?? {},
        });
      }
    }
  }
  events.push(
    endEvent({
      inputTokens,
      outputTokens: readCount(payload.usage, 'output_tokens'),
      stopReason: typeof payload.stop_reason === 'string' ? (payload.stop_reason as StopReason) : null,
      stopSequence: typeof payload.stop_sequence === 'string' ? payload.stop_sequence : null,
    }),
  );
  return events;
}

/** `start` from the upstream's message_start, keeping its counts for `end` too. */
function startEvent(payload: Record<string, unknown>, state: StreamState): BackendEvent {
  const message = payload.message;
  const usage = isRecord(message) ? message.usage : undefined;
  const counts: { inputTokens?: number; outputTokens?: number } = {};
  const inputTokens = readCount(usage, 'input_tokens');
  if (inputTokens !== undefined) state.inputTokens = counts.inputTokens = inputTokens;
  const outputTokens = readCount(usage, 'output_tokens');
  if (outputTokens !== undefined) state.outputTokens = counts.outputTokens = outputTokens;
  return { type: 'start', usage: counts };
}

function endEvent(state: Omit<StreamState, 'toolUse' | 'started'>): EndEvent {
  const usage: EndEvent['usage'] = {};
  if (state.inputTokens !== undefined) usage.inputTokens = state.inputTokens;
  if (state.outputTokens !== undefined) usage.outputTokens = state.outputTokens;
  // Unknown (newer) stop reasons are passed through; a missing one means the turn simply ended.
  return { type: 'end', stopReason: state.stopReason ?? 'end_turn', stopSequence: state.stopSequence, usage };
}

/** Block types whose content may be left out: the model's reasoning, not its answer. */
const SKIPPED_BLOCK_TYPES = new Set(['thinking', 'redacted_thinking']);

/** A streamed tool call's input: its input_json_delta pieces joined (nothing means an empty input). */
function parseToolInput(json: string, backendName: string): unknown {
  if (json.trim() === '') return {};
  const input = parseJson(json);
  if (input === undefined)
    throw new ApiError(500, 'api_error', `${backendName}: the upstream sent a tool input that is not JSON`);
  return input;
}

/** Throws for a content block Sightline cannot relay (server_tool_use, its results, …); text, tool_use and thinking pass. */
function checkBlockType(block: unknown, backendName: string): void {
  // A block without a readable type is tolerated, as before: there is nothing to name.
  const type = readString(block, 'type');
  if (type === null || type === 'text' || type === 'tool_use' || SKIPPED_BLOCK_TYPES.has(type)) return;
  const named = /^[a-z_]{1,64}$/.test(type) ? type : 'non-text';
  throw new ApiError(
    500,
    'api_error',
    `${backendName}: the upstream answered with a ${named} block, which Sightline cannot relay yet`,
  );
}

function readString(value: unknown, key: string): string | null {
  if (!isRecord(value)) return null;
  const field = value[key];
  return typeof field === 'string' ? field : null;
}

function readCount(value: unknown, key: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'number' && Number.isFinite(field) && field >= 0 ? field : undefined;
}
