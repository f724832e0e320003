// One log line per request, written when the response has been sent: method, path, status, time,
// workspace, and whatever the routes annotated (model, images, tokens, error type and message).
// Fastify's own two lines per request ("incoming request", "request completed") are turned off.
// Never image bytes, keys or prompts: only what a route puts in with `annotateRequestLog`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    logFields: Record<string, unknown> | null;
  }
}

/** Adds fields to the request's log line (later values win). */
export function annotateRequestLog(request: FastifyRequest, fields: Record<string, unknown>): void {
  request.logFields = { ...request.logFields, ...fields };
}

/** The path without its query string (queries may hold ids; keep lines short). */
const pathOf = (url: string): string => url.split('?')[0] ?? url;

/** The fields of a request's line, with the status it ended with. */
const lineOf = (request: FastifyRequest, reply: FastifyReply, status: number) => ({
  method: request.method,
  path: pathOf(request.url),
  status,
  ms: Math.round(reply.elapsedTime * 10) / 10,
  ...(request.workspace === undefined ? {} : { workspace: request.workspace }),
  ...request.logFields,
});

export function registerRequestLog(app: FastifyInstance): void {
  app.decorateRequest('logFields', null);
  app.addHook('onResponse', async (request, reply) => {
    const line = lineOf(request, reply, reply.statusCode);
    const message = `${request.method} ${line.path} ${line.status}`;
    if (line.status >= 500) request.log.error(line, message);
    else request.log.info(line, message);
  });
}

/**
 * The line of a request whose client left before its answer: it gets no response, so no line above.
 * At info (not a server failure), with nginx's 499 "client closed request" as its status.
 */
export function logClientLeft(request: FastifyRequest, reply: FastifyReply): void {
  const line = lineOf(request, reply, 499);
  request.log.info(
    line,
    `${request.method} ${line.path} 499 client closed the connection; its work was cancelled`,
  );
}
