// The HTTP app: request ids, auth, body limits, the one error handler, and the API routes.
// Built without binding a port, so tests drive it in-process or on an ephemeral port.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Router } from '../backends/registry.js';
import {
  ApiError,
  authenticationError,
  errorResponseHeaders,
  invalidRequest,
  notFound,
  reasonPhrase,
  requestTooLarge,
  toErrorEnvelope,
} from '../errors/index.js';
import type { ImagePipeline } from '../imaging/index.js';
import { parseJsonBody } from '../net/index.js';
import type { Authenticator } from './auth.js';
import { type CorsSettings, handleCors } from './cors.js';
import { createId } from './ids.js';
import type { SourceResolvers } from './prepare-images.js';
import { registerMessagesRoutes } from './routes/messages.js';
import { registerModelsRoutes } from './routes/models.js';
import { registerWorkbenchRoutes } from './routes/workbench.js';

export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** Routes served without an API key: health, and the Workbench page and its static files. */
const PUBLIC_ROUTES = new Set(['/healthz', '/', '/workbench/:file']);

export interface AppDependencies {
  router: Router;
  pipeline: ImagePipeline;
  resolvers: SourceResolvers;
  authenticate: Authenticator;
  /**
   * Host names (without port) that requests may address; undefined allows any. When Sightline listens on
   * loopback this is the loopback names, so a web page cannot reach it through DNS rebinding.
   */
  allowedHosts?: ReadonlySet<string>;
  /** Browser access (`cors.allow_origins`); default: any origin that opts in, as the API does. */
  cors?: CorsSettings;
  logger?: FastifyBaseLogger | boolean | { level: string };
  /** Registers more routes (Files API, Workbench) on the app before it is ready. */
  extend?: (app: FastifyInstance, context: { workspaceOf(request: FastifyRequest): string }) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    workspace?: string;
  }
}

/** The host name of a Host header, without its port: `[::1]:8787` → `[::1]`, `localhost:80` → `localhost`. */
const hostName = (host: string | undefined): string => (host ?? '').replace(/:\d+$/, '').toLowerCase();

const ANY_ORIGIN: CorsSettings = { allowOrigins: null };

export const LOOPBACK_HOST_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Fastify's own errors, as the API's error types. */
function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return requestTooLarge(`Request exceeds the maximum allowed size of ${MAX_REQUEST_BYTES} bytes`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidRequest('The request body is empty: send a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return invalidRequest(
        'Unsupported content-type: send application/json (multipart/form-data for file uploads)',
      );
    default:
      if (fastifyError.statusCode === 413)
        return requestTooLarge(fastifyError.message ?? 'Request too large');
      if (
        fastifyError.statusCode !== undefined &&
        fastifyError.statusCode >= 400 &&
        fastifyError.statusCode < 500
      ) {
        return invalidRequest(fastifyError.message ?? 'Invalid request');
      }
      return error;
  }
}

export function createApp(dependencies: AppDependencies): FastifyInstance {
  const app = Fastify({
    logger: dependencies.logger ?? false,
    bodyLimit: MAX_REQUEST_BYTES,
    genReqId: () => createId('req'),
    // a request body (up to 32 MiB, or a 500 MB upload) must arrive within this time
    requestTimeout: 15 * 60 * 1000,
    requestIdHeader: false,
    return503OnClosing: false,
  });

  // JSON bodies: same protection as Fastify's parser, without its regex scans of multi-megabyte text
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(invalidRequest(`The request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });

  // Every route needs a key except these; decided by the matched route, never by the raw URL text
  // (`/%761/models` routes to /v1/models). Unknown paths need a key too, so they reveal nothing.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    const { allowedHosts } = dependencies;
    if (allowedHosts && !allowedHosts.has(hostName(request.headers.host))) {
      throw new ApiError(
        403,
        'permission_error',
        `Host ${JSON.stringify(request.headers.host ?? '')} is not allowed: Sightline listens on loopback`,
      );
    }
    const isPublic = PUBLIC_ROUTES.has(request.routeOptions.url ?? '');
    // browser requests: preflights answered and the opt-in header required, before any key is checked
    if (handleCors(request, reply, dependencies.cors ?? ANY_ORIGIN, { enforce: !isPublic })) return reply;
    if (!isPublic) {
      request.workspace = dependencies.authenticate(request.headers);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = toApiError(error);
    const { status, body, known } = toErrorEnvelope(mapped, request.id);
    if (!known) request.log.error({ err: error }, 'unexpected error');
    else if (status >= 500) {
      // the client gets a generic message; the operator gets the upstream detail kept in `cause`
      request.log.error(
        { status, type: body.error.type, message: body.error.message, cause: (mapped as Error).cause },
        'request failed',
      );
    } else
      request.log.info({ status, type: body.error.type, message: body.error.message }, 'request rejected');
    reply.headers(errorResponseHeaders(mapped));
    reply.raw.statusMessage = reasonPhrase(status); // `529 Overloaded`, not Node's `529 unknown`
    return reply.status(status).type('application/json').send(body);
  });

  app.setNotFoundHandler((request) => {
    throw notFound(`Not found: ${request.method} ${request.url.split('?')[0]}`);
  });

  const workspaceOf = (request: FastifyRequest): string => {
    if (request.workspace === undefined) throw authenticationError('x-api-key header is required');
    return request.workspace;
  };

  app.get('/healthz', async () => ({ status: 'ok' }));
  registerModelsRoutes(app, dependencies.router);
  registerMessagesRoutes(app, { ...dependencies, workspaceOf });
  registerWorkbenchRoutes(app);
  dependencies.extend?.(app, { workspaceOf });
  return app;
}
