// Admin keys (config `admin_keys`) open the Admin API routes. An API key is known by its key id
// (`keyIdOf`, server/auth.ts: derived from its hash, the same on every replica, never the key itself).
import { timingSafeEqual } from 'node:crypto';
import { ApiError, authenticationError } from '../errors/index.js';
import { hashKey, presentedKey } from '../server/auth.js';

export { keyIdOf } from '../server/auth.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export type AdminAuthenticator = (headers: Headers) => { name: string };

/**
 * Admin routes: an admin key passes; any other key is refused — 403 permission_error when it is a valid
 * API key (`isApiKey`), 401 otherwise.
 */
export function createAdminAuthenticator(
  adminKeys: ReadonlyArray<{ key: string; name: string }>,
  isApiKey: (headers: Headers) => boolean,
): AdminAuthenticator {
  const known = adminKeys.map(({ key, name }) => ({ digest: hashKey(key), name }));
  return (headers) => {
    const key = presentedKey(headers);
    if (key === '') throw authenticationError('x-api-key header is required');
    const presented = hashKey(key);
    const match = known.find((entry) => timingSafeEqual(entry.digest, presented));
    if (match) return { name: match.name };
    if (isApiKey(headers))
      throw new ApiError(403, 'permission_error', 'This endpoint requires an admin API key (admin_keys)');
    throw authenticationError('invalid x-api-key');
  };
}
