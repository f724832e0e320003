import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';
import { ruleOption, rulesOptions } from './rules-option.js';

const parsed = (argv: string[]) => parseArgs(argv, { rules: { value: true, repeat: true } });

describe('--rules', () => {
  it('defaults to 2026-09, or to SIGHTLINE_VISION_RULES', () => {
    expect(rulesOptions(parsed([]), { env: {} })).toEqual(['2026-09']);
    expect(rulesOptions(parsed([]), { env: { SIGHTLINE_VISION_RULES: '2026-04' } })).toEqual(['2026-04']);
  });
  it('takes comma lists and repeats, in order, without duplicates; the flag beats the environment', () => {
    const env = { SIGHTLINE_VISION_RULES: '2026-09' };
    expect(rulesOptions(parsed(['--rules', '2026-04,2026-09']), { env })).toEqual(['2026-04', '2026-09']);
    expect(
      rulesOptions(parsed(['--rules', '2026-09', '--rules', '2026-04', '--rules', '2026-09']), { env }),
    ).toEqual(['2026-09', '2026-04']);
  });
  it('refuses unknown revisions, and several where one is expected', () => {
    expect(() => rulesOptions(parsed(['--rules', '2026-10']), { env: {} })).toThrow(
      new UsageError('--rules takes 2026-04 or 2026-09 (got "2026-10")'),
    );
    expect(() => rulesOptions(parsed([]), { env: { SIGHTLINE_VISION_RULES: 'new' } })).toThrow(UsageError);
    expect(() => ruleOption(parsed(['--rules', '2026-04,2026-09']), { env: {} })).toThrow(
      /--rules takes one revision here/,
    );
    expect(ruleOption(parsed(['--rules', '2026-04']), { env: {} })).toBe('2026-04');
  });
});
