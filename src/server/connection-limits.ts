// Connection hygiene: how long a client may take to send its headers and body, how long an idle
// keep-alive connection stays open, and how many connections one process holds. Without these, sockets
// that never send a byte pile up until no one else can connect.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ServerLimits } from '../config/index.js';
import { ApiError } from '../errors/index.js';

/** How often Node checks the header and request timeouts (its default, 30 s, would add 30 s to each). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * Caps open connections at `maxConnections`. Past the cap a connection with no request in flight is closed
 * to make room: first the oldest that has never sent a request (a silent socket), else the oldest idle
 * keep-alive one; so new clients get in, clients that behave keep their connections longest, and
 * requests being served are never cut. Only when every connection is busy is the new one refused.
 */
export function capConnections(server: Server, maxConnections: number): void {
  const open = new Map<Socket, { inFlight: number; requests: number }>(); // insertion order: oldest first
  const evictable = (): Socket | undefined => {
    let idle: Socket | undefined;
    for (const [candidate, state] of open) {
      if (state.inFlight > 0) continue;
      if (state.requests === 0) return candidate;
      idle ??= candidate;
    }
    return idle;
  };
  server.on('connection', (socket: Socket) => {
    if (open.size >= maxConnections) {
      const evicted = evictable();
      if (evicted === undefined) {
        socket.destroy();
        return;
      }
      open.delete(evicted);
      evicted.destroy();
    }
    open.set(socket, { inFlight: 0, requests: 0 });
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const state = open.get(request.socket);
    if (state === undefined) return;
    state.inFlight += 1;
    state.requests += 1;
    response.once('close', () => {
      state.inFlight -= 1;
    });
  });
}

/** Sets Node's own timeouts on the server: headers, the whole request (uploads), keep-alive idling. */
export function applyServerTimeouts(server: Server, limits: ServerLimits): void {
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.uploadTimeoutMs);
  server.requestTimeout = limits.uploadTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
}

const isMultipart = (contentType: string | undefined): boolean =>
  (contentType ?? '').toLowerCase().startsWith('multipart/');

/**
 * A JSON body must arrive within `timeoutMs` of the request's start: a client trickling a body (or one
 * whose content-length promises more than it sends) gets a 408 in the envelope and the connection is
 * closed, instead of holding a socket for the long upload timeout. Multipart uploads are exempt.
 */
export function limitBodyTime(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('preParsing', async (request, reply, payload) => {
    if (isMultipart(request.headers['content-type'])) return payload;
    if (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined)
      return payload;
    const source = payload as Readable & { complete?: boolean };
    const timed = new PassThrough();
    const timer = setTimeout(() => {
      // the socket stays open for the answer; `connection: close` ends it afterwards
      source.unpipe(timed);
      reply.header('connection', 'close');
      timed.destroy(
        new ApiError(408, 'timeout_error', `The request body did not arrive within ${timeoutMs / 1000} s`),
      );
    }, timeoutMs);
    timer.unref();
    source.once('end', () => clearTimeout(timer));
    source.once('close', () => {
      clearTimeout(timer);
      if (source.complete === false) timed.destroy(new Error('the client closed the connection'));
    });
    source.once('error', (error) => timed.destroy(error));
    source.pipe(timed);
    return timed;
  });
}
