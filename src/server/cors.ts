// Browser access as the API does it (docs/rules/wire.md §5): a cross-origin request
// must opt in with `anthropic-dangerous-direct-browser-access: true`; then every answer, errors too,
// carries `access-control-allow-origin` and `access-control-expose-headers: *`. Preflights are
// answered here, before authentication. Operators may restrict the origins (`cors.allow_origins`).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, authenticationError } from '../errors/index.js';
import { headerValue } from '../net/index.js';

export interface CorsSettings {
  /** Origins allowed to call from a browser; null: any origin (the API's `*`). */
  allowOrigins: readonly string[] | null;
}

export const BROWSER_ACCESS_HEADER = 'anthropic-dangerous-direct-browser-access';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD';
/** Browsers cache a preflight answer at most this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

/** A page served by Sightline itself (the Workbench) sends `Origin` on its own POSTs: not cross-origin. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Runs before authentication. Returns true when it has answered the request (a preflight); throws the
 * API's 401 for a browser request without the opt-in header, 403 for an origin the operator excluded.
 */
export function handleCors(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: CorsSettings,
  { enforce }: { enforce: boolean },
): boolean {
  const origin = headerValue(request.headers.origin);
  if (origin === undefined || isSameOrigin(origin, request.headers.host)) return false;
  const restricted = settings.allowOrigins !== null;
  if (restricted) reply.header('vary', 'origin');
  const allowed = !restricted || settings.allowOrigins!.includes(origin);
  const allowOrigin = restricted ? origin : '*';

  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
    if (!allowed) throw forbiddenOrigin(origin);
    const requested = headerValue(request.headers['access-control-request-headers']);
    void reply
      .status(204)
      .header('access-control-allow-origin', allowOrigin)
      .header('access-control-allow-methods', ALLOWED_METHODS)
      // echoed, not `*`: a wildcard never covers `Authorization`, which SDK 1.x sends
      .header('access-control-allow-headers', requested ?? '*')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send();
    return true;
  }
  if (!enforce) return false;
  if (!allowed) throw forbiddenOrigin(origin);
  if (headerValue(request.headers[BROWSER_ACCESS_HEADER])?.toLowerCase() !== 'true') {
    throw authenticationError(`CORS requests must set '${BROWSER_ACCESS_HEADER}' header`);
  }
  reply.header('access-control-allow-origin', allowOrigin).header('access-control-expose-headers', '*');
  return false;
}

const forbiddenOrigin = (origin: string): ApiError =>
  new ApiError(
    403,
    'permission_error',
    `Origin ${origin} is not allowed to call this server (cors.allow_origins)`,
  );
