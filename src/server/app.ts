// The HTTP app: request ids, auth, body limits, the one error handler, and the API routes.
// Built without binding a port, so tests drive it in-process or on an ephemeral port.
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Router } from '../backends/registry.js';
import {
  type ComputerUseMode,
  DEFAULT_REPAIR_CONFIG,
  DEFAULT_SERVER_LIMITS,
  type RepairConfig,
  type ServerLimits,
} from '../config/index.js';
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
import type { ImagePipeline, VisionRules } from '../imaging/index.js';
import { JsonLimitError, parseJsonBody, pathOf } from '../net/index.js';
import type { Authenticator } from './auth.js';
import {
  applyServerTimeouts,
  CONNECTIONS_CHECKING_INTERVAL_MS,
  capConnections,
  limitBodyTime,
} from './connection-limits.js';
import { type CorsSettings, handleCors } from './cors.js';
import { createClientErrorHandler, createFrameworkErrorHandler } from './error-handling.js';
import { createId } from './ids.js';
import { createImageBudget } from './image-budget.js';
import type { SourceResolvers } from './prepare-images.js';
import { factsOf, type MessagesMeter } from './request-facts.js';
import { registerRequestLog } from './request-log.js';
import { registerMessagesRoutes } from './routes/messages.js';
import { registerModelsRoutes } from './routes/models.js';
import { registerWorkbenchRoutes, WORKBENCH_ROUTES } from './routes/workbench.js';

export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** Routes served without an API key: health, and the Workbench page and its static files. */
const PUBLIC_ROUTES = new Set(['/healthz', ...WORKBENCH_ROUTES]);

export interface AppDependencies {
  router: Router;
  pipeline: ImagePipeline;
  resolvers: SourceResolvers;
  authenticate: Authenticator;
  /** the revision of the image rules (default 2026-09) */
  visionRules?: VisionRules | undefined;
  /**
   * Host names (without port) that requests may address; undefined allows any. When Sightline listens on
   * loopback this is the loopback names, so a web page cannot reach it through DNS rebinding.
   */
  allowedHosts?: ReadonlySet<string>;
  /** Browser access (`cors.allow_origins`); default: any origin that opts in, as the API does. */
  cors?: CorsSettings;
  logger?: FastifyBaseLogger | boolean | { level: string; stream?: NodeJS.WritableStream };
  /** Connection, body and memory limits; the defaults when omitted. */
  limits?: ServerLimits;
  /** Repair mode and computer-use scaling (issue 13): server settings and the per-key overrides. */
  repair?: RepairConfig;
  computerUse?: ComputerUseMode;
  /**
   * Usage recording, limits, metrics, admin routes (src/ops): registered before the API routes. Routes
   * with `config: { admin: true }` skip API-key authentication (they check admin keys themselves).
   */
  operations?: { register(app: FastifyInstance): void; meter?: MessagesMeter };
  /** Registers more routes (Files API, Workbench) on the app before it is ready. */
  extend?: (app: FastifyInstance, context: { workspaceOf(request: FastifyRequest): string }) => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** size of the JSON body as received */
    bodyBytes?: number;
  }
  interface FastifyContextConfig {
    /** an Admin API route: authenticated by admin keys, not API keys */
    admin?: boolean;
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
  const limits = dependencies.limits ?? DEFAULT_SERVER_LIMITS;

  /**
   * The Host check, browser access (CORS), then the key: before anything that reads a body or touches
   * state. Returns true when it has answered the request itself (a CORS preflight).
   */
  const admit = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const { allowedHosts } = dependencies;
    if (allowedHosts && !allowedHosts.has(hostName(request.headers.host))) {
      throw new ApiError(
        403,
        'permission_error',
        `Host ${JSON.stringify(request.headers.host ?? '')} is not allowed: Sightline listens on loopback`,
      );
    }
    const isPublic = PUBLIC_ROUTES.has(request.routeOptions?.url ?? '');
    const adminRoute = request.routeOptions?.config?.admin === true;
    // browser requests: preflights answered and the opt-in header required, before any key is checked
    if (handleCors(request, reply, dependencies.cors ?? ANY_ORIGIN, { enforce: !isPublic })) return true;
    if (!isPublic && !adminRoute) {
      // the key is hashed once here: its workspace, key id and per-key settings travel with the request
      request.caller = dependencies.authenticate(request.headers);
    }
    return false;
  };

  /** Every error response: the envelope, `request-id`, and `x-should-retry` on server errors. */
  const sendError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toApiError(error);
    const { status, body, known } = toErrorEnvelope(mapped, request.id);
    // the request's one log line says why (and usage records the type); a 5xx also logs the detail the
    // client does not see
    const facts = factsOf(request);
    facts.errorType = body.error.type;
    facts.errorMessage = body.error.message;
    if (!known) request.log.error({ err: error }, 'unexpected error');
    else if (status >= 500) {
      request.log.error({ status, type: body.error.type, cause: (mapped as Error).cause }, 'request failed');
    }
    reply.headers(errorResponseHeaders(mapped));
    reply.header('request-id', request.id);
    // a body not read to its end (an upload refused midway, a body too slow) would hold the socket
    if (!request.raw.complete) reply.header('connection', 'close');
    reply.raw.statusMessage = reasonPhrase(status); // `529 Overloaded`, not Node's `529 unknown`
    return reply.status(status).type('application/json').send(body);
  };

  const app: FastifyInstance = Fastify({
    logger: dependencies.logger ?? false,
    bodyLimit: MAX_REQUEST_BYTES,
    genReqId: () => createId('req'),
    // the whole request, upload bodies included; JSON bodies have their own, shorter limit (limitBodyTime)
    requestTimeout: limits.uploadTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    clientErrorHandler: createClientErrorHandler(() => app.log),
    frameworkErrors: createFrameworkErrorHandler(admit, sendError),
    requestIdHeader: false,
    return503OnClosing: false,
    // one line per request instead (request-log.ts)
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerRequestLog(app);
  applyServerTimeouts(app.server, limits);
  capConnections(app.server, limits.maxConnections);
  limitBodyTime(app, limits.jsonBodyTimeoutMs);

  // JSON bodies: same protection as Fastify's parser, without its regex scans of multi-megabyte text;
  // depth and value count are checked on the bytes first, so no body blocks the event loop for long
  const jsonLimits = { maxDepth: limits.jsonMaxDepth, maxTokens: limits.jsonMaxTokens };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.bodyBytes = (body as Buffer).length;
    try {
      done(null, parseJsonBody(body as Buffer, jsonLimits));
    } catch (error) {
      done(
        error instanceof JsonLimitError
          ? invalidRequest(error.message)
          : invalidRequest(`The request body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
    }
  });

  // Every route needs a key except these; decided by the matched route, never by the raw URL text
  // (`/%761/models` routes to /v1/models). Unknown paths need a key too, so they reveal nothing.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    // A streamed answer carries more `close` listeners than Node's warning threshold of 10, all
    // released with the response: Fastify's own and its stream pipe, connection accounting, the abort
    // watcher, the image-budget lease, metrics. Not a leak, so not a warning on the console.
    reply.raw.setMaxListeners(32);
    if (admit(request, reply)) return reply;
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));

  app.setNotFoundHandler((request) => {
    throw notFound(`Not found: ${request.method} ${pathOf(request.url)}`);
  });

  const workspaceOf = (request: FastifyRequest): string => {
    if (request.caller === undefined) throw authenticationError('x-api-key header is required');
    return request.caller.workspace;
  };

  dependencies.operations?.register(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerModelsRoutes(app, dependencies.router);
  registerMessagesRoutes(app, {
    imageBudget: createImageBudget({
      maxBytes: limits.imageBudgetBytes,
      waitMs: limits.imageBudgetWaitMs,
    }),
    ...dependencies,
    workspaceOf,
    meter: dependencies.operations?.meter,
    repair: dependencies.repair ?? DEFAULT_REPAIR_CONFIG,
    computerUse: dependencies.computerUse ?? 'off',
    maxRequestBytes: MAX_REQUEST_BYTES,
  });
  registerWorkbenchRoutes(app, { visionRules: dependencies.visionRules });
  dependencies.extend?.(app, { workspaceOf });
  return app;
}
