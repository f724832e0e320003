import { describe, expect, it } from 'vitest';
import { PrototypePoisoningError, parseJsonBody } from './parse-json-body.js';

describe('parseJsonBody', () => {
  it('parses ordinary bodies, including keys that merely look dangerous', () => {
    expect(
      parseJsonBody('{"a":[1,{"b":"__proto__"}],"constructor":"x","c":{"constructor":{"name":"y"}}}'),
    ).toEqual({
      a: [1, { b: '__proto__' }],
      constructor: 'x',
      c: { constructor: { name: 'y' } },
    });
  });

  it('refuses __proto__ keys at any depth, and constructor.prototype', () => {
    for (const text of [
      '{"__proto__":{"polluted":true}}',
      '{"messages":[{"content":[{"__proto__":{}}]}]}',
      '{"a":{"constructor":{"prototype":{"polluted":true}}}}',
    ]) {
      expect(() => parseJsonBody(text)).toThrow(PrototypePoisoningError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads buffers as UTF-8, with an ASCII fast path', () => {
    expect(parseJsonBody(Buffer.from('{"text":"héllo ✓","data":"QUJD"}'))).toEqual({
      text: 'héllo ✓',
      data: 'QUJD',
    });
    expect(parseJsonBody(Buffer.from('{"data":"QUJD"}'))).toEqual({ data: 'QUJD' });
  });

  it('throws SyntaxError on invalid JSON', () => {
    expect(() => parseJsonBody('{"a":')).toThrow(SyntaxError);
  });
});
