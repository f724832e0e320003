// --format and --raw-output: json (coloured only when asked), jsonl, yaml, pretty, raw.
import { describe, expect, it } from 'vitest';
import { colourJson, formatValue, renderTree } from './output-format.js';

const plain = { rawOutput: false, colour: false } as const;
const value = { id: 'file_1', size: 3, ok: true, list: [1, 'two'] };

describe('formatValue', () => {
  it('auto is indented JSON', () =>
    expect(formatValue(value, { ...plain, format: 'auto' })).toBe(JSON.stringify(value, null, 2)));
  it('json, coloured on a terminal', () =>
    expect(formatValue({ a: 1 }, { ...plain, format: 'json', colour: true })).toBe(
      '{\n  \u001b[34;1m"a"\u001b[0m: \u001b[33m1\u001b[0m\n}',
    ));
  it('jsonl is one line', () =>
    expect(formatValue(value, { ...plain, format: 'jsonl' })).toBe(
      '{"id":"file_1","size":3,"ok":true,"list":[1,"two"]}',
    ));
  it('yaml', () =>
    expect(formatValue(value, { ...plain, format: 'yaml' })).toBe(
      'id: file_1\nsize: 3\nok: true\nlist:\n  - 1\n  - two',
    ));
  it('yaml keeps long lines whole', () =>
    expect(formatValue({ text: 'x '.repeat(60).trim() }, { ...plain, format: 'yaml' })).not.toContain('\n'));
  it('raw prints the body as received', () =>
    expect(formatValue(value, { ...plain, format: 'raw', rawText: '{ "id" : "file_1" }' })).toBe(
      '{ "id" : "file_1" }',
    ));
  it('raw without a body is compact JSON', () =>
    expect(formatValue([1], { ...plain, format: 'raw' })).toBe('[1]'));
  it('a string is quoted…', () =>
    expect(formatValue('file_1', { ...plain, format: 'json' })).toBe('"file_1"'));
  it('…except with --raw-output', () =>
    expect(formatValue('file_1', { ...plain, rawOutput: true, format: 'json' })).toBe('file_1'));
  it('--raw-output leaves non-strings as JSON', () =>
    expect(formatValue(3, { ...plain, rawOutput: true, format: 'json' })).toBe('3'));
  it('pretty is a titled tree', () =>
    expect(formatValue({ a: { b: 'c' }, d: [1] }, { ...plain, format: 'pretty', title: 'Thing' })).toBe(
      'Thing\n  a:\n    b: c\n  d:\n    [0]: 1',
    ));
});

describe('helpers', () => {
  it('colourJson colours literals', () => expect(colourJson('null')).toBe('\u001b[35mnull\u001b[0m'));
  it('renderTree of a scalar', () => expect(renderTree('x')).toBe('x'));
  it('renderTree of an empty list', () => expect(renderTree({ a: [] })).toBe('a:\n  (empty list)'));
});
