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

export interface OutputLimiter {
  /** Text that may be sent now (possibly empty); after the limit is reached, always empty. */
  push(text: string): string;
  /** True once a stop sequence or the token budget ended the answer: generating more is wasted. */
  readonly stopped: boolean;
  /** Ends the answer: the text still held back, and how it ended. */
  finish(): {
    text: string;
    stopReason: LimitedOutput['stopReason'];
    stopSequence: string | null;
    outputTokens: number;
  };
}

/** The longest end of `text` that begins one of the stop sequences (it may complete in the next piece). */
function heldBackLength(text: string, stopSequences: readonly string[]): number {
  let longest = 0;
  for (const sequence of stopSequences) {
    for (let length = Math.min(sequence.length - 1, text.length); length > longest; length -= 1) {
      if (text.endsWith(sequence.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}

/**
 * `limitOutput` for an answer produced in pieces: what is sent is always a prefix of what
 * `limitOutput` would return for the whole answer, and `finish()` ends it the same way. Text that may
 * be the start of a stop sequence is held back until the next piece shows whether it is.
 */
export function createOutputLimiter(limits: OutputLimits): OutputLimiter {
  const budget = Math.max(0, limits.maxTokens);
  let sent = '';
  let held = '';
  let ending: { stopReason: LimitedOutput['stopReason']; stopSequence: string | null } | undefined =
    budget === 0 ? { stopReason: 'max_tokens', stopSequence: null } : undefined;

  /** Sends `text` if it fits the budget, else its longest fitting prefix and ends with max_tokens. */
  const sendWithinBudget = (text: string): string => {
    if (estimateTextTokens(sent + text) <= budget) {
      sent += text;
      return text;
    }
    const fits = longestPrefixWithin(sent + text, budget).slice(sent.length);
    sent += fits;
    ending = { stopReason: 'max_tokens', stopSequence: null };
    return fits;
  };

  return {
    push(text) {
      if (ending !== undefined) return '';
      const pending = held + text;
      held = '';
      const stop = firstStopSequence(pending, limits.stopSequences);
      if (stop !== undefined) {
        const before = sendWithinBudget(pending.slice(0, stop.index));
        ending ??= { stopReason: 'stop_sequence', stopSequence: stop.sequence };
        return before;
      }
      const hold = heldBackLength(pending, limits.stopSequences);
      held = pending.slice(pending.length - hold);
      return sendWithinBudget(pending.slice(0, pending.length - hold));
    },
    get stopped() {
      return ending !== undefined;
    },
    finish() {
      const text = ending === undefined ? sendWithinBudget(held) : '';
      held = '';
      const { stopReason, stopSequence } = ending ?? { stopReason: 'end_turn', stopSequence: null };
      return { text, stopReason, stopSequence, outputTokens: estimateTextTokens(sent) };
    },
  };
}
