// Key identities for operations: an API key is known by an id derived from its hash (the same on every
// replica, never the key itself), and admin keys (config `admin_keys`) open the Admin API routes.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError, authenticationError } from '../errors/index.js';
import { presentedKey } from '../server/auth.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** `apikey_` and the first 24 hex digits of the key's SHA-256: what usage reports and limits name. */
export const keyIdOf = (key: string): string => `apikey_${digest(key).toString('hex').slice(0, 24)}`;

export type AdminAuthenticator = (headers: Headers) => { name: string };

/**
 * Admin routes: an admin key passes; any other key is refused — 403 permission_error when it is a valid
 * API key (`isApiKey`), 401 otherwise.
 */
export function createAdminAuthenticator(
  adminKeys: ReadonlyArray<{ key: string; name: string }>,
  isApiKey: (headers: Headers) => boolean,
): AdminAuthenticator {
  const known = adminKeys.map(({ key, name }) => ({ digest: digest(key), name }));
  return (headers) => {
    const key = presentedKey(headers);
    if (key === '') throw authenticationError('x-api-key header is required');
    const presented = digest(key);
    const match = known.find((entry) => timingSafeEqual(entry.digest, presented));
    if (match) return { name: match.name };
    if (isApiKey(headers))
      throw new ApiError(403, 'permission_error', 'This endpoint requires an admin API key (admin_keys)');
    throw authenticationError('invalid x-api-key');
  };
}
