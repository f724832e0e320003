// Joins the pieces of OpenAI tool calls (streamed by `index`, arguments JSON split anywhere) into whole
// `tool_use` events, in index order, with their input parsed; malformed arguments are the upstream's fault.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../errors/index.js';
import { parseJson } from '../../net/index.js';
import type { BackendEvent } from '../types.js';
import type { OpenAiChatToolCallFragment } from './read-openai-chat-response.js';

export type ToolUseEvent = Extract<BackendEvent, { type: 'tool_use' }>;

export interface OpenAiToolCallAccumulator {
  /**
   * Adds one piece. A piece continues the call at its index, unless it carries an id other than that
   * call's: then it starts a new call (servers that number every parallel call 0, or send no index).
   */
  add(fragment: OpenAiChatToolCallFragment): void;
  /**
   * The calls gathered so far as whole `tool_use` events in index order (calls without an index last, in
   * arrival order), and empties the accumulator. Throws a 500 api_error for a call whose arguments are
   * not JSON or that has no name.
   */
  drain(): ToolUseEvent[];
}

interface PendingToolCall {
  index: number | undefined;
  id: string | undefined;
  name: string | undefined;
  arguments: string;
}

/** Fragments without an `index` share this key: each continues the call before it. */
const NO_INDEX = -1;

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function createOpenAiToolCallAccumulator(backendName: string): OpenAiToolCallAccumulator {
  let calls: PendingToolCall[] = [];
  /** The call each upstream index currently feeds. */
  let callByIndex = new Map<number, PendingToolCall>();

  const parseArguments = (text: string): unknown => {
    if (text.trim() === '') return {};
    const input = parseJson(text);
    if (input === undefined) {
      throw new ApiError(
        500,
        'api_error',
        `${backendName}: the upstream sent tool call arguments that are not JSON`,
      );
    }
    return input;
  };

  const toEvent = (call: PendingToolCall): ToolUseEvent => {
    if (call.name === undefined) {
      throw new ApiError(500, 'api_error', `${backendName}: the upstream sent a tool call without a name`);
    }
    return {
      type: 'tool_use',
      id: call.id ?? generateToolUseId(),
      name: call.name,
      input: parseArguments(call.arguments),
    };
  };

  return {
    add(fragment) {
      const key = fragment.index ?? NO_INDEX;
      let call = callByIndex.get(key);
      if (
        call === undefined ||
        (fragment.id !== undefined && call.id !== undefined && fragment.id !== call.id)
      ) {
        call = { index: fragment.index, id: undefined, name: undefined, arguments: '' };
        calls.push(call);
        callByIndex.set(key, call);
      }
      call.id ??= fragment.id;
      call.name ??= fragment.name;
      call.arguments += fragment.arguments;
    },
    drain() {
      const drained = calls;
      calls = [];
      callByIndex = new Map();
      // Array.prototype.sort is stable: calls of one index (or of none) keep their arrival order.
      return drained
        .sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER))
        .map(toEvent);
    },
  };
}

/** An id in the Anthropic style (`toolu_` + 24 base62 characters) for an upstream call sent without one. */
export function generateToolUseId(): string {
  let id = '';
  for (const byte of randomBytes(24)) id += ID_ALPHABET[byte % 62];
  return `toolu_${id}`;
}
