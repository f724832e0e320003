// parseArgs as one-liners: options, switches, repeats, short aliases, `--`, and stopping at a positional.
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

const spec = {
  model: { value: true },
  message: { value: true, repeat: true },
  stream: {},
  output: { value: true, short: 'o' },
  'raw-output': { short: 'r' },
} as const;

describe('parseArgs', () => {
  it('--name value', () => expect(parseArgs(['--model', 'm'], spec).options).toEqual({ model: 'm' }));
  it('--name=value', () => expect(parseArgs(['--model=a=b'], spec).options).toEqual({ model: 'a=b' }));
  it('a switch', () => expect(parseArgs(['--stream'], spec).options).toEqual({ stream: true }));
  it('a repeated option', () =>
    expect(parseArgs(['--message', 'a', '--message', 'b'], spec).options).toEqual({ message: ['a', 'b'] }));
  it('short aliases', () =>
    expect(parseArgs(['-o', '-', '-r'], spec).options).toEqual({ output: '-', 'raw-output': true }));
  it('positionals and --', () =>
    expect(parseArgs(['x', '--', '--model'], spec).positionals).toEqual(['x', '--model']));
  it('stops at the first positional when asked', () =>
    expect(
      parseArgs(['--model', 'm', 'files', 'list', '--stream'], spec, { stopAtPositional: true }),
    ).toEqual({
      options: { model: 'm' },
      positionals: ['files', 'list', '--stream'],
    }));
  it('an unknown option', () => expect(() => parseArgs(['--nope'], spec)).toThrow(UsageError));
  it('a missing value', () => expect(() => parseArgs(['--model'], spec)).toThrow('--model needs a value'));
  it('a value on a switch', () => expect(() => parseArgs(['--stream=1'], spec)).toThrow('takes no value'));
});
