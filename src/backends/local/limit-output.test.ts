// Tests max_tokens and stop_sequences handling and the split into stream chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTextTokens } from '../../tokens/index.js';
import { createOutputLimiter, limitOutput, longestPrefixWithin, splitIntoChunks } from './limit-output.js';

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

/** Feeds the pieces through a limiter and returns what was sent and how it ended. */
function stream(pieces: readonly string[], maxTokens: number, stopSequences: readonly string[]) {
  const limiter = createOutputLimiter({ maxTokens, stopSequences });
  const sent: string[] = [];
  for (const piece of pieces) sent.push(limiter.push(piece));
  const end = limiter.finish();
  return { ...end, sent, text: sent.join('') + end.text };
}

describe('createOutputLimiter', () => {
  it('sends pieces as they come and ends with end_turn when all fits', () => {
    const result = stream(['Image 1\n', '- Format: PNG\n'], 1000, []);
    expect(result.sent).toEqual(['Image 1\n', '- Format: PNG\n']);
    expect(result.stopReason).toBe('end_turn');
  });

  it('holds back a possible start of a stop sequence until the next piece tells', () => {
    const limiter = createOutputLimiter({ maxTokens: 1000, stopSequences: ['END OF'] });
    expect(limiter.push('text then EN')).toBe('text then ');
    expect(limiter.push('D OF it')).toBe('');
    expect(limiter.stopped).toBe(true);
    expect(limiter.finish()).toMatchObject({ text: '', stopReason: 'stop_sequence', stopSequence: 'END OF' });
    const other = createOutputLimiter({ maxTokens: 1000, stopSequences: ['END OF'] });
    expect(other.push('text then EN')).toBe('text then ');
    expect(other.push('DING')).toBe('ENDING');
  });

  it('stops at the budget with max_tokens, and sends nothing more', () => {
    const limiter = createOutputLimiter({ maxTokens: 3, stopSequences: [] });
    expect(limiter.push('Image 1\n')).toBe('Image 1\n');
    expect(limiter.push('- Format: PNG\n')).toBe('- Fo');
    expect(limiter.stopped).toBe(true);
    expect(limiter.push('more')).toBe('');
    expect(limiter.finish()).toMatchObject({ text: '', stopReason: 'max_tokens', outputTokens: 3 });
  });

  it('always ends as limitOutput does on the whole answer (property, seeded)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '\n', '×'), maxLength: 60 });
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 8 }),
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '×'), maxLength: 3 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 40 }),
        (pieces, stopSequences, maxTokens) => {
          const whole = limitOutput(pieces.join(''), { maxTokens, stopSequences });
          const streamed = stream(pieces, maxTokens, stopSequences);
          expect({
            text: streamed.text,
            stopReason: streamed.stopReason,
            stopSequence: streamed.stopSequence,
            outputTokens: streamed.outputTokens,
          }).toEqual(whole);
        },
      ),
      { seed: 20261202, numRuns: 2000 },
    );
  });
});
