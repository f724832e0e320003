// Bodies as `ant` builds them: piped YAML/JSON, relaxed flag values, parameters taken out, shallow merge.
import { describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import {
  mergeBody,
  parsePipedBody,
  parseRelaxedValue,
  readBodyFlags,
  takeParameters,
} from './request-body.js';

const FLAGS = {
  model: { key: 'model', kind: 'string' },
  'max-tokens': { key: 'max_tokens', kind: 'integer' },
  message: { key: 'messages', kind: 'value', repeat: true },
  system: { key: 'system', kind: 'text-or-value' },
  stream: { key: 'stream', kind: 'boolean' },
  temperature: { key: 'temperature', kind: 'number' },
  'stop-sequence': { key: 'stop_sequences', kind: 'string', repeat: true },
} as const;

describe('readBodyFlags', () => {
  it('typed values', () =>
    expect(
      readBodyFlags(
        { model: 'm', 'max-tokens': '1024', stream: true, temperature: '0.5', 'stop-sequence': ['a', 'b'] },
        FLAGS,
      ),
    ).toEqual({ model: 'm', max_tokens: 1024, stream: true, temperature: 0.5, stop_sequences: ['a', 'b'] }));
  it('--message is relaxed YAML, repeatable', () =>
    expect(
      readBodyFlags({ message: ['{role: user, content: hi}', '{"role":"assistant","content":"yo"}'] }, FLAGS),
    ).toEqual({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'yo' },
      ],
    }));
  it('--system text stays text, even with a colon', () =>
    expect(readBodyFlags({ system: 'Answer: in Spanish' }, FLAGS)).toEqual({ system: 'Answer: in Spanish' }));
  it('--system blocks are YAML', () =>
    expect(readBodyFlags({ system: '[{type: text, text: hi}]' }, FLAGS)).toEqual({
      system: [{ type: 'text', text: 'hi' }],
    }));
  it('a bad integer', () => expect(() => readBodyFlags({ 'max-tokens': '1e3' }, FLAGS)).toThrow(UsageError));
  it('a bad number', () => expect(() => readBodyFlags({ temperature: 'hot' }, FLAGS)).toThrow(UsageError));
  it('bad YAML', () => expect(() => parseRelaxedValue('{role: user', 'message')).toThrow('--message'));
});

describe('parsePipedBody', () => {
  it('YAML', () =>
    expect(parsePipedBody('model: m\nmax_tokens: 5\n')).toEqual({ model: 'm', max_tokens: 5 }));
  it('JSON', () => expect(parsePipedBody('{"model": "m"}')).toEqual({ model: 'm' }));
  it('blank is no body', () => expect(parsePipedBody(' \n')).toBeUndefined());
  it('broken input', () =>
    expect(() => parsePipedBody('a: [1,')).toThrow('Failed to parse piped data as YAML/JSON'));
});

describe('takeParameters', () => {
  it('moves parameter keys out of the body', () =>
    expect(
      takeParameters({ file_id: 'f', 'anthropic-beta': 'x', model: 'm' }, ['file_id', 'anthropic-beta']),
    ).toEqual({
      body: { model: 'm' },
      parameters: { file_id: 'f', 'anthropic-beta': 'x' },
    }));
  it('leaves a non-map alone', () =>
    expect(takeParameters([1], ['a'])).toEqual({ body: [1], parameters: {} }));
});

describe('mergeBody', () => {
  it('flags overwrite top-level keys, shallowly', () =>
    expect(
      mergeBody(
        { model: 'a', messages: [{ role: 'user', content: 'x' }], max_tokens: 5 },
        { model: 'b', messages: [] },
      ),
    ).toEqual({ model: 'b', messages: [], max_tokens: 5 }));
  it('no flags: the piped body as is', () => expect(mergeBody([1, 2], {})).toEqual([1, 2]));
  it('no piped body: the flags', () => expect(mergeBody(undefined, { model: 'm' })).toEqual({ model: 'm' }));
  it('nothing at all: an empty map', () => expect(mergeBody(undefined, {})).toEqual({}));
  it('flags with a body that is not a map', () =>
    expect(() => mergeBody('text', { model: 'm' })).toThrow(
      'Cannot merge flags with a body that is not a map',
    ));
});
