import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('did you mean', () => {
  it('measures edits, a swap of neighbours counting as one', () => {
    expect(editDistance('model', 'model')).toBe(0);
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('mesages', 'messages')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('offers the closest spelling only when it is plausibly a typo', () => {
    expect(closest('mesages', ['messages', 'models', 'files'])).toBe('messages');
    expect(closest('max-token', ['max-tokens', 'model'])).toBe('max-tokens');
    expect(closest('zzzzzz', ['messages', 'models'])).toBeUndefined();
    expect(closest('x', ['messages'])).toBeUndefined();
    expect(didYouMean('modle', ['model', 'json'], '--')).toBe(' (did you mean --model?)');
    expect(didYouMean('qqq', ['model'])).toBe('');
  });
});
