// One log line per request, written when the response has been sent: method, path, status, time, the
// caller (workspace, key id), and what the request did — read from its facts (request-facts.ts), the
// same record usage, limits and metrics read, so the line cannot say otherwise than the usage report.
// Fastify's own two lines per request ("incoming request", "request completed") are turned off.
// Never image bytes, keys or prompts: only the fields below.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '../net/index.js';
import type { RequestFacts } from './request-facts.js';

/** A client may name any model: the line shows at most this much of it. */
const MAX_MODEL_CHARS = 200;

/**
 * The facts as log fields, set ones only: the model once the body parsed as a request; images, image and
 * input tokens once its images were prepared (after any repair, as the answer's `usage` counts them);
 * output tokens once the answer is complete; the error the client was sent.
 */
export function logFieldsOf(facts: RequestFacts): Record<string, unknown> {
  return {
    ...(facts.model !== undefined ? { model: facts.model.slice(0, MAX_MODEL_CHARS) } : {}),
    ...(facts.images ? { images: facts.images } : {}),
    ...(facts.inputTokens !== undefined ? { input_tokens: facts.inputTokens } : {}),
    ...(facts.imageTokens ? { image_tokens: facts.imageTokens } : {}),
    ...(facts.outputTokens !== undefined ? { output_tokens: facts.outputTokens } : {}),
    ...(facts.errorType !== undefined
      ? { error: { type: facts.errorType, message: facts.errorMessage } }
      : {}),
  };
}

/** The fields of a request's line, with the status it ended with. */
const lineOf = (request: FastifyRequest, reply: FastifyReply, status: number) => ({
  method: request.method,
  path: pathOf(request.url),
  status,
  ms: Math.round(reply.elapsedTime * 10) / 10,
  ...(request.caller === undefined
    ? {}
    : { workspace: request.caller.workspace, api_key_id: request.caller.keyId }),
  ...logFieldsOf(request.facts ?? {}),
});

export function registerRequestLog(app: FastifyInstance): void {
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
