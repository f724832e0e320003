import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import { createAuthenticator, keyIdOf } from './auth.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the caller of a request, from its key', () => {
  const authenticate = createAuthenticator([
    { key: 'sk-plain', workspace: 'plain' },
    { key: 'sk-repairs', workspace: 'repairs', repair: { images: true }, computerUse: 'scale' },
  ]);

  it('names a configured key by its workspace, its key id and its settings, from either header', () => {
    expect(authenticate({ 'x-api-key': 'sk-repairs' })).toEqual({
      workspace: 'repairs',
      keyId: `apikey_${sha256('sk-repairs').slice(0, 24)}`,
      settings: { repair: { images: true }, computerUse: 'scale' },
    });
    expect(authenticate({ authorization: 'Bearer sk-plain' })).toMatchObject({
      workspace: 'plain',
      keyId: keyIdOf('sk-plain'),
    });
    // a repeated header: its first value
    expect(authenticate({ 'x-api-key': ['sk-plain', 'sk-repairs'] }).workspace).toBe('plain');
  });

  it('refuses a missing or unknown key with 401', () => {
    for (const headers of [{}, { 'x-api-key': ' ' }, { 'x-api-key': 'sk-other' }]) {
      let error: unknown;
      try {
        authenticate(headers);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
    }
  });

  it('with no keys configured, makes any key its own workspace, named by the same hash', () => {
    const open = createAuthenticator([]);
    expect(open({ 'x-api-key': 'k' })).toEqual({
      workspace: `key-${sha256('k').slice(0, 20)}`,
      keyId: keyIdOf('k'),
      settings: undefined,
    });
  });
});
