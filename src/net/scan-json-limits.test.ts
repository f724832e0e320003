import { describe, expect, it } from 'vitest';
import { checkJsonLimits, JsonLimitError } from './scan-json-limits.js';

const check = (text: string, maxDepth = 3, maxTokens = 10) =>
  checkJsonLimits(Buffer.from(text), { maxDepth, maxTokens });

describe('checkJsonLimits', () => {
  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(() => check('{"a":[[1]]}')).not.toThrow();
    expect(() => check('{"a":[[[1]]]}')).toThrow(/more than 3 levels deep/);
    expect(() => check('[[[[')).toThrow(JsonLimitError); // refused before any closing bracket
  });

  it('does not count brackets, commas and escaped quotes inside strings', () => {
    expect(() => check('["[[[[,,,,,,,,,,,,{{{{"]')).not.toThrow();
    expect(() => check('["a \\"[[[[[[ \\\\", "b"]')).not.toThrow();
    expect(() => check('["ends in a backslash \\\\", [[[[1]]]]]')).toThrow(/levels deep/);
  });

  it('counts values: strings, containers and every comma-separated item', () => {
    expect(() => check('[1,2,3,4,5,6,7,8,9]')).not.toThrow(); // 1 array + 8 commas
    expect(() => check('[1,2,3,4,5,6,7,8,9,10,11]')).toThrow(/more than 10 JSON values/);
    expect(() => check('{"a":"b","c":"d","e":"f"}', 3, 6)).toThrow(/more than 6 JSON values/);
  });

  it('leaves malformed JSON to the parser', () => {
    expect(() => check('{"unterminated')).not.toThrow();
    expect(() => check(']]]]]')).not.toThrow();
  });
});
