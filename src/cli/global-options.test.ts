// Global flags resolved with the environment: base URL and key sources, formats, later options winning.
import { describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import { DEFAULT_BASE_URL, mergeOptions, resolveGlobalSettings } from './global-options.js';

describe('resolveGlobalSettings', () => {
  it('defaults', () =>
    expect(resolveGlobalSettings({}, {})).toMatchObject({
      baseUrl: DEFAULT_BASE_URL,
      apiKey: undefined,
      format: 'auto',
      formatError: 'auto',
      rawOutput: false,
    }));
  it('the environment', () =>
    expect(
      resolveGlobalSettings({}, { ANTHROPIC_BASE_URL: 'http://h:1/', ANTHROPIC_API_KEY: 'k' }),
    ).toMatchObject({ baseUrl: 'http://h:1', apiKey: 'k' }));
  it('flags win over the environment', () =>
    expect(
      resolveGlobalSettings(
        { 'base-url': 'https://x', 'api-key': 'f' },
        { ANTHROPIC_BASE_URL: 'http://h', ANTHROPIC_API_KEY: 'e' },
      ),
    ).toMatchObject({ baseUrl: 'https://x', apiKey: 'f' }));
  it('-r and transforms', () =>
    expect(
      resolveGlobalSettings({ 'raw-output': true, transform: 'id', 'transform-error': 'error.message' }, {}),
    ).toMatchObject({ rawOutput: true, transform: 'id', transformError: 'error.message' }));
  it('a format, case-insensitively', () =>
    expect(resolveGlobalSettings({ format: 'YAML' }, {}).format).toBe('yaml'));
  it('an unknown format', () =>
    expect(() => resolveGlobalSettings({ format: 'gjson' }, {})).toThrow(UsageError));
  it('a base URL without a scheme', () =>
    expect(() => resolveGlobalSettings({ 'base-url': 'localhost:8787' }, {})).toThrow('http://'));
  it('later options win', () =>
    expect(mergeOptions({ format: 'json' }, { format: 'yaml' })).toEqual({ format: 'yaml' }));
});
