// Unit tests of the finish_reason → stop_reason map.
import { describe, expect, it } from 'vitest';
import { mapOpenAiFinishReason } from './map-openai-finish-reason.js';

describe('mapOpenAiFinishReason', () => {
  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'refusal'],
    ['eos', 'end_turn'],
    [null, 'end_turn'],
    [undefined, 'end_turn'],
  ] as const)('%s → %s', (finishReason, stopReason) => {
    expect(mapOpenAiFinishReason(finishReason)).toBe(stopReason);
  });
});
