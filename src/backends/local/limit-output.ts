// Applies the request's `stop_sequences` and `max_tokens` to a finished answer, and splits what is
// left into stream chunks. Pure; output tokens are counted with `estimateTextTokens`.
import { estimateTextTokens } from '../../tokens/index.js';

export interface OutputLimits {
  maxTokens: number;
  stopSequences: readonly string[];
}

export interface LimitedOutput {
  text: string;
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence';
  stopSequence: string | null;
  outputTokens: number;
}

/** The longest prefix of `text` (whole code points) whose estimated tokens fit in `maxTokens`. */
export function longestPrefixWithin(text: string, maxTokens: number): string {
  if (estimateTextTokens(text) <= maxTokens) return text;
  const codePoints = Array.from(text);
  let fits = 0;
  let tooLong = codePoints.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (estimateTextTokens(codePoints.slice(0, middle).join('')) <= maxTokens) fits = middle;
    else tooLong = middle;
  }
  return codePoints.slice(0, fits).join('');
}

/** The first stop sequence to occur in `text` (earliest position; the first listed on a tie). */
function firstStopSequence(
  text: string,
  stopSequences: readonly string[],
): { sequence: string; index: number } | undefined {
  let first: { sequence: string; index: number } | undefined;
  for (const sequence of stopSequences) {
    if (sequence === '') continue;
    const index = text.indexOf(sequence);
    if (index !== -1 && (first === undefined || index < first.index)) first = { sequence, index };
  }
  return first;
}

/**
 * Generation stops at whichever comes first: a stop sequence (text cut before it) or the token
 * budget (text cut to the longest prefix that fits). A budget of 0 yields no text and `max_tokens`.
 */
export function limitOutput(answer: string, limits: OutputLimits): LimitedOutput {
  const stop = firstStopSequence(answer, limits.stopSequences);
  const beforeStop = stop === undefined ? answer : answer.slice(0, stop.index);
  const budget = Math.max(0, limits.maxTokens);
  if (budget === 0 || estimateTextTokens(beforeStop) > budget) {
    const text = longestPrefixWithin(beforeStop, budget);
    return { text, stopReason: 'max_tokens', stopSequence: null, outputTokens: estimateTextTokens(text) };
  }
  if (stop !== undefined) {
    return {
      text: beforeStop,
      stopReason: 'stop_sequence',
      stopSequence: stop.sequence,
      outputTokens: estimateTextTokens(beforeStop),
    };
  }
  return {
    text: answer,
    stopReason: 'end_turn',
    stopSequence: null,
    outputTokens: estimateTextTokens(answer),
  };
}

/** Splits text into stream chunks, one per line (each keeps its trailing newline). */
export function splitIntoChunks(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
