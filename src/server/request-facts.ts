// What a request did, gathered as it runs: the one place that usage recording, limits, metrics and the
// per-request log line (request-log.ts) read from. Routes fill it; hooks registered by src/ops and the log
// read it when the response ends. Who called is `request.caller` (auth.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface RequestFacts {
  kind?: 'messages' | 'count_tokens';
  /** set once the body parsed as a messages request (an unparsable body has no model) */
  model?: string;
  backend?: string;
  /** image rules revision */
  rules?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** images and their tokens, as prepared after any repair (what the answer's `usage` counts) */
  images?: number;
  imageTokens?: number;
  stream?: boolean;
  /** the backend was called (errors after this point are backend errors) */
  calledBackend?: boolean;
  /** ms from the backend call to its last event */
  upstreamMs?: number;
  /** an error after the response had started (in-band SSE `error` event) */
  streamErrorType?: string;
  /** the error type of a refused request */
  errorType?: string;
  /** the message of the error response sent (app.ts `sendError`) */
  errorMessage?: string;
}

/**
 * Admission points of a messages call, provided by the operations module (limits): `beforeWork` runs
 * after authentication and before images are fetched or rendered; `beforeBackend` once input tokens and
 * images are known. Either may refuse by throwing an ApiError (429).
 */
export interface MessagesMeter {
  beforeWork(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  beforeBackend(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    facts?: RequestFacts;
  }
}

/** The request's facts, created on first use. */
export function factsOf(request: FastifyRequest): RequestFacts {
  if (!request.facts) request.facts = {};
  return request.facts;
}
