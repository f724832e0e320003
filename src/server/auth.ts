// Who is calling: an `x-api-key` or `Authorization: Bearer` key names a workspace. With keys configured,
// only those are accepted; with none, any non-empty key is accepted and is its own workspace.
// The key is hashed once per request: the same SHA-256 finds the configured key, names the workspace
// of an unconfigured one, and gives the key id that usage reports and limits name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { KeyOverrides } from '../config/index.js';
import { authenticationError } from '../errors/index.js';
import { headerValue } from '../net/index.js';

/** Request headers as Node gives them (a repeated header as an array). */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The caller of a request, decided once when it is authenticated and carried with it. */
export interface Caller {
  workspace: string;
  /** `apikey_` and 24 hex digits of the key's SHA-256: what usage reports and limits name (never the key) */
  keyId: string;
  /** the per-key settings (repair, computer use) of a configured key */
  settings: KeyOverrides | undefined;
}

export type Authenticator = (headers: Headers) => Caller;

declare module 'fastify' {
  interface FastifyRequest {
    /** set by authentication; undefined on public and admin routes */
    caller?: Caller;
  }
}

/** The SHA-256 of a key: keys are compared (in constant time) and named by it. */
export const hashKey = (key: string): Buffer => createHash('sha256').update(key).digest();
const keyIdOfHash = (keyHash: Buffer): string => `apikey_${keyHash.toString('hex').slice(0, 24)}`;

/** The key id of an API key (see `Caller.keyId`). */
export const keyIdOf = (key: string): string => keyIdOfHash(hashKey(key));

/** The key a request presents: `x-api-key`, else `Authorization: Bearer`; '' when none. */
function presentedKey(headers: Headers): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(headers.authorization) ?? '')?.[1];
  return (headerValue(headers['x-api-key']) ?? bearer ?? '').trim();
}

/** The hash of the key a request presents; 401 when it presents none. */
export function presentedKeyHash(headers: Headers): Buffer {
  const key = presentedKey(headers);
  if (key === '') throw authenticationError('x-api-key header is required');
  return hashKey(key);
}

/** The known key (by its hash) that a presented hash matches, compared in constant time. */
export const findKey = <T extends { hash: Buffer }>(known: readonly T[], presented: Buffer): T | undefined =>
  known.find((entry) => timingSafeEqual(entry.hash, presented));

export function createAuthenticator(
  keys: ReadonlyArray<{ key: string; workspace: string } & KeyOverrides>,
): Authenticator {
  const known = keys.map(({ key, workspace, ...settings }) => ({ hash: hashKey(key), workspace, settings }));
  return (headers) => {
    const presented = presentedKeyHash(headers);
    const keyId = keyIdOfHash(presented);
    if (known.length === 0)
      return { workspace: `key-${presented.toString('hex').slice(0, 20)}`, keyId, settings: undefined };
    const match = findKey(known, presented);
    if (!match) throw authenticationError('invalid x-api-key');
    return { workspace: match.workspace, keyId, settings: match.settings };
  };
}
