// Errors that happen outside a route's handler still answer in the API's error envelope with a
// `request-id`: malformed HTTP (bad framing, headers over 16 KB, a request that never finishes), which
// Node reports on the socket, and malformed URLs, which Fastify reports before any hook runs.
import type { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiError,
  errorResponseHeaders,
  invalidRequest,
  reasonPhrase,
  toErrorEnvelope,
} from '../errors/index.js';
import { pathOf } from '../net/index.js';
import { createId } from './ids.js';

/** The socket-level errors of Node's HTTP parser, as API errors. */
function toClientApiError(error: NodeJS.ErrnoException): ApiError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(
        408,
        'timeout_error',
        'The request did not arrive in time: the connection is closed',
      );
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'invalid_request_error', 'The request line and headers exceed 16 KB');
    default:
      return invalidRequest(`Malformed HTTP request (${error.code ?? 'parse error'})`);
  }
}

/**
 * Fastify's `clientErrorHandler`: answers a malformed or timed-out request on the raw socket (no request
 * object exists yet), in the envelope, then closes the connection.
 */
export function createClientErrorHandler(log: () => FastifyBaseLogger) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const requestId = createId('req');
    const apiError = toClientApiError(error);
    const { status, body } = toErrorEnvelope(apiError, requestId);
    log().info({ requestId, status, code: error.code }, 'malformed request refused');
    const json = JSON.stringify(body);
    const headers = Object.entries(errorResponseHeaders(apiError))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nrequest-id: ${requestId}\r\n${headers}` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n` +
          `connection: close\r\n\r\n${json}`,
      );
    }
    socket.destroy();
  };
}

/**
 * Fastify's `frameworkErrors`: a URL that does not decode (`/v1/files/%`) or a path parameter over the
 * router's limit. `admit` (the Host check and authentication) runs first, as it does for every routed
 * request, so an unauthenticated caller learns nothing more than on any other path.
 */
export function createFrameworkErrorHandler(
  admit: (request: FastifyRequest, reply: FastifyReply) => boolean,
  sendError: (error: unknown, request: FastifyRequest, reply: FastifyReply) => void,
) {
  return (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void => {
    reply.header('request-id', request.id);
    try {
      if (admit(request, reply)) return; // a CORS preflight, answered
    } catch (refusal) {
      sendError(refusal, request, reply);
      return;
    }
    const path = pathOf(request.url);
    const shown = path.length > 100 ? `${path.slice(0, 100)}…` : path;
    sendError(
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ApiError(414, 'invalid_request_error', `A path parameter is too long: ${shown}`)
        : invalidRequest(`The URL is not valid: ${JSON.stringify(shown)}`),
      request,
      reply,
    );
  };
}
