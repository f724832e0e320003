// Tests max_tokens and stop_sequences handling and the split into stream chunks.
import { describe, expect, it } from 'vitest';
import { estimateTextTokens } from '../../tokens/index.js';
import { limitOutput, longestPrefixWithin, splitIntoChunks } from './limit-output.js';

const answer = 'Image 1\n- Format: PNG\n- Brightness: dark\nDone.';

describe('limitOutput', () => {
  it('passes a short answer through', () => {
    expect(limitOutput(answer, { maxTokens: 1000, stopSequences: [] })).toEqual({
      text: answer,
      stopReason: 'end_turn',
      stopSequence: null,
      outputTokens: estimateTextTokens(answer),
    });
  });

  it('cuts to the token budget', () => {
    const output = limitOutput(answer, { maxTokens: 3, stopSequences: [] });
    expect(output.stopReason).toBe('max_tokens');
    expect(output.text).toBe(answer.slice(0, 12));
    expect(output.outputTokens).toBe(3);
  });

  it('yields nothing for a budget of 0, even before a stop sequence', () => {
    expect(limitOutput(answer, { maxTokens: 0, stopSequences: ['Image'] })).toEqual({
      text: '',
      stopReason: 'max_tokens',
      stopSequence: null,
      outputTokens: 0,
    });
  });

  it('stops before the earliest stop sequence', () => {
    const output = limitOutput(answer, { maxTokens: 1000, stopSequences: ['Done', '', 'Brightness'] });
    expect(output).toEqual({
      text: 'Image 1\n- Format: PNG\n- ',
      stopReason: 'stop_sequence',
      stopSequence: 'Brightness',
      outputTokens: 6,
    });
  });

  it('reports max_tokens when the budget runs out before the stop sequence', () => {
    const output = limitOutput(answer, { maxTokens: 2, stopSequences: ['Done'] });
    expect(output.stopReason).toBe('max_tokens');
    expect(output.stopSequence).toBeNull();
  });
});

describe('longestPrefixWithin', () => {
  it('counts non-ASCII code points as one token each and never splits them', () => {
    expect(longestPrefixWithin('ab×cd×', 2)).toBe('ab×cd');
    expect(longestPrefixWithin('👍👍', 1)).toBe('👍');
  });
});

describe('splitIntoChunks', () => {
  it('keeps each line with its newline and loses nothing', () => {
    expect(splitIntoChunks('a\n\nb\nc')).toEqual(['a\n', '\n', 'b\n', 'c']);
    expect(splitIntoChunks('')).toEqual([]);
  });
});
