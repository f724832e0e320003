// The shared upstream transport against a real loopback HTTP server: keep-alive, caps on the answer and
// on error bodies, retry hints, timeouts, and the caller's abort as the one RequestCancelledError.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createUpstreamTransport,
  type UpstreamTransport,
} from '../../../../src/backends/http/upstream-transport.js';
import { ApiError, errorResponseHeaders, RequestCancelledError } from '../../../../src/errors/index.js';
import { type LoopbackServer, startLoopbackServer } from '../../../support/upstreams.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: LoopbackServer[] = [];
const transports: UpstreamTransport[] = [];

afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A loopback server (test/support/upstreams.ts) answering once the request is read; `sockets` counts the
 * connections it accepted, `closed` resolves on a hang-up.
 */
async function serve(handler: Handler) {
  let sockets = 0;
  let closedOnce: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (closedOnce = resolve));
  const loopback = await startLoopbackServer((request, response) => {
    request.resume();
    request.on('end', () => handler(request, response));
    response.on('close', () => {
      if (!response.writableFinished) closedOnce();
    });
  });
  loopback.server.on('connection', () => (sockets += 1));
  servers.push(loopback);
  return { url: `${loopback.url}/v1/endpoint`, closed, sockets: () => sockets };
}

function transportFor(url: string, options: { timeoutMs?: number; maxResponseBytes?: number } = {}) {
  const transport = createUpstreamTransport({
    backendName: 'up',
    url,
    headers: { 'x-api-key': 'k' },
    timeoutMs: options.timeoutMs ?? 5_000,
    maxResponseBytes: options.maxResponseBytes,
    // a protocol reading its error body: the text, prefixed with its length
    readErrorBody: (bodyText, { backendName }) => ({
      message: `${backendName}: ${bodyText.length} ${bodyText}`,
    }),
  });
  transports.push(transport);
  return transport;
}

const live = () => new AbortController().signal;

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += Buffer.from(chunk).toString('utf8');
  return text;
}

describe('the upstream transport', () => {
  it('POSTs JSON with the backend headers, and reuses one kept-alive connection', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const upstream = await serve((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'content-type': 'Text/Event-Stream; charset=utf-8' }).end('data: 1\n\n');
    });
    const transport = transportFor(upstream.url);
    for (let round = 0; round < 6; round += 1) {
      const answer = await transport.post('{}', live());
      expect(answer.contentType).toBe('text/event-stream');
      expect(await readAll(answer.chunks)).toBe('data: 1\n\n');
    }
    expect(seen[0]).toMatchObject({
      'content-type': 'application/json',
      'x-api-key': 'k',
      'user-agent': 'Sightline',
    });
    // undici may open a second connection while the first is being released; never one per request
    expect(upstream.sockets()).toBeLessThanOrEqual(2);
  });

  it('maps a failure status by the one policy, with the protocol reading the body and the hints passed on', async () => {
    const upstream = await serve((_request, response) => {
      response.writeHead(503, { 'retry-after': '7', 'x-should-retry': 'true' }).end('busy');
    });
    const error = await transportFor(upstream.url)
      .post('{}', live())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, type: 'api_error', message: 'up: 4 busy' });
    expect(errorResponseHeaders(error)).toEqual({ 'retry-after': '7', 'x-should-retry': 'true' });
  });

  it('reads at most maxResponseBytes of an error body, keeping its status', async () => {
    const upstream = await serve((_request, response) => {
      response.writeHead(429);
      response.write('x'.repeat(1000));
      // never ends: only the cap can finish reading it
    });
    const error = await transportFor(upstream.url, { maxResponseBytes: 100 })
      .post('{}', live())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: `up: 100 ${'x'.repeat(100)}`,
    });
    await upstream.closed;
  });

  it('fails an answer past maxResponseBytes, read whole or as chunks, and hangs up', async () => {
    const upstream = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('y'.repeat(1000));
    });
    const transport = transportFor(upstream.url, { maxResponseBytes: 500 });
    const tooLarge = {
      status: 500,
      type: 'api_error',
      message: 'up: the upstream response exceeded 500 bytes',
    };
    await expect((await transport.post('{}', live())).text()).rejects.toMatchObject(tooLarge);
    await expect(readAll((await transport.post('{}', live())).chunks)).rejects.toMatchObject(tooLarge);
    await upstream.closed;
  });

  it('times out waiting for the headers, and for a silence mid-body', async () => {
    const silent = await serve(() => undefined);
    await expect(transportFor(silent.url, { timeoutMs: 200 }).post('{}', live())).rejects.toMatchObject({
      status: 500,
      message: 'up: upstream unreachable (timed out)',
    });
    const stalls = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
    });
    const answer = await transportFor(stalls.url, { timeoutMs: 200 }).post('{}', live());
    await expect(readAll(answer.chunks)).rejects.toMatchObject({
      status: 500,
      message: 'up: upstream stream interrupted (timed out)',
    });
  });

  it("turns the caller's abort into RequestCancelledError, before the answer and during it", async () => {
    const upstream = await serve((request, response) => {
      if (request.url?.endsWith('?late') === false) return; // never answers
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
    });
    const early = new AbortController();
    const pending = transportFor(upstream.url).post('{}', early.signal);
    setTimeout(() => early.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(RequestCancelledError);

    const late = new AbortController();
    const answer = await transportFor(`${upstream.url}?late`).post('{}', late.signal);
    const reading = readAll(answer.chunks);
    late.abort();
    const error = await reading.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestCancelledError);
    expect(error).toMatchObject({ status: 499 });
  });

  it('refuses a URL with credentials, and a closed port, without quoting either', async () => {
    const withCredentials = transportFor('http://user:s3cret@127.0.0.1:9/v1');
    const refused = await withCredentials.post('{}', live()).catch((caught: unknown) => caught);
    expect((refused as ApiError).message).toBe(
      'up: upstream unreachable (the upstream URL must not contain credentials)',
    );
    const closed = await transportFor('http://127.0.0.1:9/v1')
      .post('{}', live())
      .catch((caught: unknown) => caught);
    expect(closed).toMatchObject({ status: 500, message: 'up: upstream unreachable (connection refused)' });
    expect((closed as ApiError).message).not.toContain('127.0.0.1');
  });
});
