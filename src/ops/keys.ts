// Admin keys (config `admin_keys`) open the Admin API routes. An API key is known by its key id
// (`keyIdOf`, server/auth.ts: derived from its hash, the same on every replica, never the key itself).
import { ApiError, authenticationError } from '../errors/index.js';
import { findKey, type Headers, hashKey, presentedKeyHash } from '../server/auth.js';

export { keyIdOf } from '../server/auth.js';

export type AdminAuthenticator = (headers: Headers) => { name: string };

/**
 * Admin routes: an admin key passes; any other key is refused — 403 permission_error when it is a valid
 * API key (`isApiKey`), 401 otherwise.
 */
export function createAdminAuthenticator(
  adminKeys: ReadonlyArray<{ key: string; name: string }>,
  isApiKey: (headers: Headers) => boolean,
): AdminAuthenticator {
  const known = adminKeys.map(({ key, name }) => ({ hash: hashKey(key), name }));
  return (headers) => {
    const match = findKey(known, presentedKeyHash(headers));
    if (match) return { name: match.name };
    if (isApiKey(headers))
      throw new ApiError(403, 'permission_error', 'This endpoint requires an admin API key (admin_keys)');
    throw authenticationError('invalid x-api-key');
  };
}
