// A pass over the raw bytes of a JSON body, before JSON.parse, that refuses bodies whose parse would
// block the event loop or take many times their size in memory: too deep (a 32 MB body of nested
// arrays) or too many values (millions of `[]`). String contents are skipped with Buffer#indexOf (native
// speed), so a 4 MB base64 image costs a few microseconds; everything else is one byte-by-byte walk.
// Malformed JSON is not this pass's business: JSON.parse reports it.

export interface JsonLimits {
  /** deepest nesting of arrays and objects */
  maxDepth: number;
  /** most values and keys: strings, numbers, literals, arrays, objects */
  maxTokens: number;
}

export class JsonLimitError extends Error {
  override name = 'JsonLimitError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** The index of the quote closing the string whose opening quote is at `start` (-1 if none). */
function closingQuote(body: Buffer, start: number): number {
  let quote = body.indexOf(QUOTE, start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = body.indexOf(QUOTE, quote + 1);
  }
  return -1;
}

/**
 * Throws JsonLimitError when the body nests deeper than `maxDepth` or holds more than `maxTokens` values.
 * Values are counted as opening brackets, strings, and commas (each comma starts one more value).
 */
export function checkJsonLimits(body: Buffer, limits: JsonLimits): void {
  let depth = 0;
  let tokens = 0;
  const length = body.length;
  for (let index = 0; index < length; index += 1) {
    const byte = body[index];
    if (byte === QUOTE) {
      const end = closingQuote(body, index);
      if (end === -1) return; // unterminated: JSON.parse says so
      index = end;
      tokens += 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      tokens += 1;
      if (depth > limits.maxDepth) {
        throw new JsonLimitError(
          `The request body nests arrays and objects more than ${limits.maxDepth} levels deep`,
        );
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
    } else if (byte === COMMA) {
      tokens += 1;
    } else continue;
    if (tokens > limits.maxTokens) {
      throw new JsonLimitError(`The request body holds more than ${limits.maxTokens} JSON values`);
    }
  }
}
