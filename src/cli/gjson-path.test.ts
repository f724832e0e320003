// The GJSON subset of --transform: keys, indexes, `#`, `#.path`, wildcards, escapes, no match.
import { describe, expect, it } from 'vitest';
import { applyTransform, getPath, splitPath } from './gjson-path.js';

const message = {
  id: 'msg_1',
  content: [
    { type: 'text', text: 'hello' },
    { type: 'text', text: 'world' },
  ],
  usage: { input_tokens: 10 },
  'a.b': 1,
};
const page = { data: [{ id: 'f1' }, { id: 'f2' }, { name: 'no id' }], has_more: false };

describe('getPath', () => {
  it('a key', () => expect(getPath(message, 'id')).toEqual({ found: true, value: 'msg_1' }));
  it('a nested key', () =>
    expect(getPath(message, 'usage.input_tokens')).toEqual({ found: true, value: 10 }));
  it('an array index', () =>
    expect(getPath(message, 'content.1.text')).toEqual({ found: true, value: 'world' }));
  it('a whole array', () =>
    expect(getPath(message, 'content')).toEqual({ found: true, value: message.content }));
  it('# is the length', () => expect(getPath(page, 'data.#')).toEqual({ found: true, value: 3 }));
  it('#.path on every element, skipping misses', () =>
    expect(getPath(page, 'data.#.id')).toEqual({ found: true, value: ['f1', 'f2'] }));
  it('#.path on an empty array', () =>
    expect(getPath({ data: [] }, 'data.#.id')).toEqual({ found: true, value: [] }));
  it('an escaped dot', () => expect(getPath(message, 'a\\.b')).toEqual({ found: true, value: 1 }));
  it('wildcards in a key', () =>
    expect(getPath(message, 'us*.input_?okens')).toEqual({ found: true, value: 10 }));
  it('a missing key', () => expect(getPath(message, 'nope')).toEqual({ found: false }));
  it('an index past the end', () => expect(getPath(message, 'content.5')).toEqual({ found: false }));
  it('a key into a string', () => expect(getPath(message, 'id.x')).toEqual({ found: false }));
  it('splitPath', () => expect(splitPath('a.b\\.c.0')).toEqual(['a', 'b.c', '0']));
});

describe('applyTransform', () => {
  it('the match', () => expect(applyTransform(message, 'content.0.text')).toBe('hello'));
  it('no match: the whole value', () => expect(applyTransform(message, 'missing.path')).toBe(message));
  it('no transform', () => expect(applyTransform(message, undefined)).toBe(message));
});
