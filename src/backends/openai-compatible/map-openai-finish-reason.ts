// Pure mapping of an OpenAI `finish_reason` to the Messages API `stop_reason`. OpenAI never says which
// stop sequence matched, so `stop` stays `end_turn` (with `stop_sequence: null`).
import type { StopReason } from '../../wire/index.js';

export function mapOpenAiFinishReason(finishReason: string | null | undefined): StopReason {
  switch (finishReason) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
