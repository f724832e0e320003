// Who is calling: an `x-api-key` or `Authorization: Bearer` key names a workspace. With keys configured,
// only those are accepted; with none, any non-empty key is accepted and is its own workspace.
import { createHash, timingSafeEqual } from 'node:crypto';
import { authenticationError } from '../errors/index.js';
import { headerValue } from '../net/index.js';

export type Authenticator = (headers: Readonly<Record<string, string | string[] | undefined>>) => string;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The key a request presents: `x-api-key`, else `Authorization: Bearer`; '' when none. */
export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(headers.authorization) ?? '')?.[1];
  return (headerValue(headers['x-api-key']) ?? bearer ?? '').trim();
}

export function createAuthenticator(keys: ReadonlyArray<{ key: string; workspace: string }>): Authenticator {
  const known = keys.map(({ key, workspace }) => ({ digest: digest(key), workspace }));
  return (headers) => {
    const key = presentedKey(headers);
    if (key === '') throw authenticationError('x-api-key header is required');
    if (known.length === 0) return `key-${digest(key).toString('hex').slice(0, 20)}`;
    const presented = digest(key);
    const match = known.find((entry) => timingSafeEqual(entry.digest, presented));
    if (!match) throw authenticationError('invalid x-api-key');
    return match.workspace;
  };
}

/** The per-key settings (repair, computer use) of the key a request presents, if it has any. */
export function createKeySettingsLookup<T>(
  keys: ReadonlyArray<{ key: string } & T>,
): (headers: Readonly<Record<string, string | string[] | undefined>>) => T | undefined {
  const known = keys.map((entry) => ({ digest: digest(entry.key), entry }));
  return (headers) => {
    const key = presentedKey(headers);
    if (key === '' || known.length === 0) return undefined;
    const presented = digest(key);
    return known.find((candidate) => timingSafeEqual(candidate.digest, presented))?.entry;
  };
}
