// Tests of the guarded URL fetcher against real loopback servers: 127.0.0.1 plays the "internal" host that must
// stay unreachable, 127.0.0.2 (allowed explicitly) plays a "public" image host. Non-loopback addresses such as
// 10.0.0.1 and 169.254.169.254 appear only as addresses that must be refused before any connection attempt.

import { randomBytes } from 'node:crypto';
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo, Socket, Server as TcpServer } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import type { GuardedFetcher, GuardedFetchOptions } from './guarded-fetch.js';
import { createAddressPolicy, createGuardedFetcher } from './guarded-fetch.js';

const MAX_BYTES = 5_242_880;
const SIX_MIB = 6 * 1024 * 1024;
const PUBLIC_HOST = '127.0.0.2';

const imageBytes = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  randomBytes(4096),
]);

const baseOptions: GuardedFetchOptions = {
  allowPrivate: false,
  allowAddresses: [PUBLIC_HOST],
  maxBytes: MAX_BYTES,
  connectTimeoutMs: 2000,
  headersTimeoutMs: 2000,
  totalTimeoutMs: 5000,
  maxRedirects: 5,
};

let internalServer: HttpServer;
let internalPort = 0;
let internalHits = 0;
let publicServer: HttpServer;
let publicPort = 0;
let silentServer: TcpServer;
let silentPort = 0;
const silentSockets = new Set<Socket>();
/** Bytes the endless route managed to hand to the socket before the client went away. */
let endlessBytesWritten = -1;
let endlessFinished: Promise<void> = Promise.resolve();

function listen(server: HttpServer | TcpServer, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Writes `totalBytes` (or forever) in 64 KiB chunks, honouring backpressure, until the client goes away. */
function streamBytes(response: ServerResponse, totalBytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x42);
  let written = 0;
  return new Promise((resolve) => {
    const finish = (): void => resolve(written);
    response.once('close', finish);
    const writeMore = (): void => {
      while (written < totalBytes && !response.destroyed) {
        written += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', writeMore);
          return;
        }
      }
      if (!response.destroyed) response.end();
    };
    writeMore();
  });
}

function handlePublicRequest(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', `http://${PUBLIC_HOST}`).pathname;
  const hop = /^\/hop\/(\d+)$/.exec(path);
  if (hop !== null) {
    const remaining = Number(hop[1]);
    response.writeHead(302, { location: remaining === 0 ? '/image.png' : `/hop/${remaining - 1}` }).end();
    return;
  }
  switch (path) {
    case '/image.png':
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': imageBytes.length });
      response.end(imageBytes);
      return;
    case '/to-internal':
      response.writeHead(302, { location: `http://127.0.0.1:${internalPort}/image.png` }).end();
      return;
    case '/to-ftp':
      response.writeHead(301, { location: `ftp://${PUBLIC_HOST}/image.png` }).end();
      return;
    case '/relative':
      response.writeHead(301, { location: 'image.png' }).end();
      return;
    case '/missing':
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    case '/big-streamed':
      response.writeHead(200, { 'content-type': 'image/png' });
      void streamBytes(response, SIX_MIB);
      return;
    case '/big-declared':
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(50 * 1024 * 1024) });
      response.write(imageBytes); // then never finishes: only the declared length can fail this fast
      return;
    case '/endless':
      response.writeHead(200, { 'content-type': 'image/png' });
      endlessFinished = streamBytes(response, Number.POSITIVE_INFINITY).then((written) => {
        endlessBytesWritten = written;
      });
      return;
    case '/trickle': {
      response.writeHead(200, { 'content-type': 'image/png' });
      const timer = setInterval(() => response.write(Buffer.from([0x42])), 50);
      response.once('close', () => clearInterval(timer));
      return;
    }
    default:
      response.writeHead(404).end();
  }
}

beforeAll(async () => {
  internalServer = createHttpServer((_request, response) => {
    internalHits += 1;
    response.writeHead(200, { 'content-type': 'image/png' }).end(imageBytes);
  });
  internalPort = await listen(internalServer, '127.0.0.1');
  publicServer = createHttpServer(handlePublicRequest);
  publicPort = await listen(publicServer, PUBLIC_HOST);
  silentServer = createTcpServer((socket) => {
    silentSockets.add(socket); // accepted, never answered
    socket.once('close', () => silentSockets.delete(socket));
  });
  silentPort = await listen(silentServer, PUBLIC_HOST);
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  internalServer.closeAllConnections();
  publicServer.closeAllConnections();
  await Promise.all([closeServer(internalServer), closeServer(publicServer), closeServer(silentServer)]);
});

async function withFetcher<T>(
  overrides: Partial<GuardedFetchOptions>,
  run: (fetcher: GuardedFetcher) => Promise<T>,
): Promise<T> {
  const fetcher = createGuardedFetcher({ ...baseOptions, ...overrides });
  try {
    return await run(fetcher);
  } finally {
    await fetcher.close();
  }
}

/** Asserts a 400 invalid_request_error whose message names the URL and the cause. */
async function expectRefusal(
  attempt: Promise<unknown>,
  url: string,
  cause: string | RegExp,
): Promise<ApiError> {
  const error = await attempt.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  expect(apiError.status).toBe(400);
  expect(apiError.type).toBe('invalid_request_error');
  expect(apiError.message.startsWith(`Unable to download the image from ${url}`)).toBe(true);
  if (typeof cause === 'string') expect(apiError.message).toContain(cause);
  else expect(apiError.message).toMatch(cause);
  return apiError;
}

describe('createAddressPolicy', () => {
  const strict = createAddressPolicy({ allowPrivate: false });

  it.each([
    ['127.0.0.1', 'private'],
    ['127.255.255.254', 'private'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.1.1', 'private'],
    ['192.0.0.8', 'private'],
    ['192.0.2.1', 'private'],
    ['198.18.0.1', 'private'],
    ['198.51.100.7', 'private'],
    ['203.0.113.9', 'private'],
    ['::1', 'private'],
    ['[::1]', 'private'],
    ['fe80::1%eth0', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a00:1::1', 'private'],
    ['2001:0:4136:e378::1', 'private'],
    ['2001:db8::1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['0.0.0.0', 'not a unicast address'],
    ['0.1.2.3', 'not a unicast address'],
    ['224.0.0.1', 'not a unicast address'],
    ['239.255.255.250', 'not a unicast address'],
    ['240.0.0.1', 'not a unicast address'],
    ['255.255.255.255', 'not a unicast address'],
    ['::', 'not a unicast address'],
    ['ff02::1', 'not a unicast address'],
  ])('refuses %s as %s', (address, category) => {
    expect(strict(address)).toMatch(new RegExp(`^the address .+ is ${category} and not allowed$`));
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(strict(address)).toBeNull();
    },
  );

  it.each([
    ['::a9fe:a9fe', /^the address ::a9fe:a9fe \(IPv4 169\.254\.169\.254\) is a cloud metadata address/],
    ['::7f00:1', /^the address ::7f00:1 \(IPv4 127\.0\.0\.1\) is private/],
    ['::808:808', /^the address ::808:808 is IPv4-compatible \(deprecated\) and not allowed$/],
  ])('refuses the IPv4-compatible address %s (::/96)', (address, reason) => {
    expect(strict(address)).toMatch(reason);
  });

  it.each([
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'], // NAT64
    ['64:ff9b:1::a9fe:a9fe', '169.254.169.254'], // NAT64 local-use
    ['2002:a9fe:a9fe::1', '169.254.169.254'], // 6to4
    ['2001:0:a9fe:a9fe::1', '169.254.169.254'], // Teredo server
    ['2001:0:4136:e378:8000:63bf:5601:5601', '169.254.169.254'], // Teredo client, inverted
    ['::ffff:a9fe:a9fe', '169.254.169.254'], // mapped
    ['::a9fe:a9fe', '169.254.169.254'], // compatible
  ])('keeps %s refused even with allowPrivate: it embeds %s', (address, embedded) => {
    const lenient = createAddressPolicy({ allowPrivate: true });
    expect(lenient(address)).toContain(`(IPv4 ${embedded}) is a cloud metadata address`);
  });

  it('allowPrivate accepts IPv6 forms of allowed IPv4 addresses, and ::1', () => {
    const lenient = createAddressPolicy({ allowPrivate: true });
    for (const address of ['64:ff9b::a00:1', '2002:a00:1::1', '::1', '::ffff:7f00:1']) {
      expect(lenient(address)).toBeNull();
    }
  });

  it('refuses something that is not an IP address', () => {
    expect(strict('localhost')).toBe('the address localhost is not a valid IP address');
  });

  it('names the embedded IPv4 address of a mapped IPv6 address', () => {
    expect(strict('::ffff:7f00:1')).toBe(
      'the address ::ffff:7f00:1 (IPv4 127.0.0.1) is private and not allowed',
    );
  });

  it('allowPrivate lets private ranges through but keeps metadata and non-unicast refused', () => {
    const lenient = createAddressPolicy({ allowPrivate: true });
    for (const address of ['127.0.0.1', '10.0.0.1', '::1', 'fd12::1', '::ffff:192.168.0.1']) {
      expect(lenient(address)).toBeNull();
    }
    expect(lenient('169.254.169.254')).toMatch(/cloud metadata/);
    expect(lenient('0.0.0.0')).toMatch(/not a unicast address/);
    expect(lenient('ff02::1')).toMatch(/not a unicast address/);
  });

  it('allowAddresses accepts single addresses and CIDRs, including mapped forms of them', () => {
    const policy = createAddressPolicy({
      allowPrivate: false,
      allowAddresses: ['127.0.0.2', '10.1.0.0/16', 'fd00::/8'],
    });
    expect(policy('127.0.0.2')).toBeNull();
    expect(policy('::ffff:127.0.0.2')).toBeNull();
    expect(policy('10.1.200.3')).toBeNull();
    expect(policy('fd99::1')).toBeNull();
    expect(policy('127.0.0.1')).toMatch(/private/);
    expect(policy('10.2.0.1')).toMatch(/private/);
  });

  it('rejects malformed allowAddresses entries at creation', () => {
    expect(() => createAddressPolicy({ allowPrivate: false, allowAddresses: ['intranet.local'] })).toThrow(
      TypeError,
    );
    expect(() => createAddressPolicy({ allowPrivate: false, allowAddresses: ['10.0.0.0/33'] })).toThrow(
      TypeError,
    );
    expect(() => createAddressPolicy({ allowPrivate: false, allowAddresses: ['10.0.0.0/x'] })).toThrow(
      TypeError,
    );
  });
});

describe('createGuardedFetcher', () => {
  it('rejects invalid options at creation', () => {
    expect(() => createGuardedFetcher({ ...baseOptions, maxBytes: 0 })).toThrow(TypeError);
    expect(() => createGuardedFetcher({ ...baseOptions, maxRedirects: -1 })).toThrow(TypeError);
  });

  describe('refuses internal and special-purpose destinations before connecting', () => {
    it.each([
      ['http://127.0.0.1:PORT/image.png', /the address 127\.0\.0\.1 is private and not allowed$/],
      ['http://localhost:PORT/image.png', /the address (127\.0\.0\.1|::1) is private and not allowed$/],
      ['http://[::1]:PORT/image.png', /the address ::1 is private and not allowed$/],
      [
        'http://[::ffff:127.0.0.1]:PORT/image.png',
        /the address ::ffff:7f00:1 \(IPv4 127\.0\.0\.1\) is private/,
      ],
      ['http://2130706433:PORT/image.png', /the address 127\.0\.0\.1 is private and not allowed$/],
      ['http://0x7f.1:PORT/image.png', /the address 127\.0\.0\.1 is private and not allowed$/],
      ['http://10.0.0.1/x.png', /the address 10\.0\.0\.1 is private and not allowed$/],
      [
        'http://169.254.169.254/latest/meta-data',
        /the address 169\.254\.169\.254 is a cloud metadata address/,
      ],
      ['http://0.0.0.0:PORT/image.png', /the address 0\.0\.0\.0 is not a unicast address and not allowed$/],
      [
        'http://[::a9fe:a9fe]/latest/meta-data',
        /the address ::a9fe:a9fe \(IPv4 169\.254\.169\.254\) is a cloud metadata address/,
      ],
      ['http://[::7f00:1]:PORT/image.png', /the address ::7f00:1 \(IPv4 127\.0\.0\.1\) is private/],
    ])('%s', async (template, cause) => {
      const url = template.replace('PORT', String(internalPort));
      const hitsBefore = internalHits;
      await withFetcher({}, (fetcher) => expectRefusal(fetcher.fetch(url), url, cause));
      expect(internalHits).toBe(hitsBefore);
    });

    it.each(['ftp://127.0.0.2/image.png', 'file:///etc/passwd', 'data:image/png;base64,iVBORw0KGgo='])(
      'refuses the scheme of %s',
      async (url) => {
        await withFetcher({}, (fetcher) =>
          expectRefusal(fetcher.fetch(url), url, /: only http and https URLs are supported$/),
        );
      },
    );

    it('refuses a URL that does not parse', async () => {
      await withFetcher({}, (fetcher) =>
        expectRefusal(fetcher.fetch('not a url'), 'not a url', 'the URL is not valid'),
      );
    });
  });

  it('fetches an image from an allowed host, bytes intact', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/image.png`;
    const resource = await withFetcher({}, (fetcher) => fetcher.fetch(url));
    expect(resource.bytes.equals(imageBytes)).toBe(true);
    expect(resource.contentType).toBe('image/png');
    expect(resource.finalUrl).toBe(url);
  });

  it('accepts a CIDR in allowAddresses', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/image.png`;
    const resource = await withFetcher({ allowAddresses: ['127.0.0.2/32'] }, (fetcher) => fetcher.fetch(url));
    expect(resource.bytes.equals(imageBytes)).toBe(true);
  });

  it('refuses a redirect from the allowed host to 127.0.0.1', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/to-internal`;
    const hitsBefore = internalHits;
    const error = await withFetcher({}, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /the address 127\.0\.0\.1 is private and not allowed$/),
    );
    expect(error.message).toContain(`(redirected to http://127.0.0.1:${internalPort}/image.png)`);
    expect(internalHits).toBe(hitsBefore);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/to-ftp`;
    await withFetcher({}, (fetcher) =>
      expectRefusal(
        fetcher.fetch(url),
        url,
        'redirected to ftp://127.0.0.2/image.png, but only http and https',
      ),
    );
  });

  it('follows a relative redirect that stays on the allowed host', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/relative`;
    const resource = await withFetcher({}, (fetcher) => fetcher.fetch(url));
    expect(resource.bytes.equals(imageBytes)).toBe(true);
    expect(resource.finalUrl).toBe(`http://${PUBLIC_HOST}:${publicPort}/image.png`);
  });

  it('follows exactly maxRedirects hops', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/hop/4`; // 5 redirects: hop/4 … hop/0, then the image
    const resource = await withFetcher({}, (fetcher) => fetcher.fetch(url));
    expect(resource.bytes.equals(imageBytes)).toBe(true);
  });

  it('refuses a redirect chain longer than maxRedirects', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/hop/5`; // 6 redirects
    await withFetcher({}, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /: too many redirects \(more than 5\)$/),
    );
    const oneHop = `http://${PUBLIC_HOST}:${publicPort}/relative`;
    await withFetcher({ maxRedirects: 0 }, (fetcher) =>
      expectRefusal(fetcher.fetch(oneHop), oneHop, /: too many redirects \(more than 0\)$/),
    );
  });

  it('treats a non-2xx final status as an error', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/missing`;
    await withFetcher({}, (fetcher) => expectRefusal(fetcher.fetch(url), url, /: HTTP 404$/));
  });

  it('gives up on a server that accepts and never answers', async () => {
    const url = `http://${PUBLIC_HOST}:${silentPort}/image.png`;
    const started = performance.now();
    await withFetcher({ headersTimeoutMs: 300 }, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /: the server did not answer within 300 ms$/),
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('enforces the total deadline on a trickling body', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/trickle`;
    const started = performance.now();
    await withFetcher({ totalTimeoutMs: 400 }, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /: the download did not finish within 400 ms$/),
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('honours an external AbortSignal', async () => {
    const url = `http://${PUBLIC_HOST}:${silentPort}/image.png`;
    const started = performance.now();
    await withFetcher({}, (fetcher) =>
      expectRefusal(fetcher.fetch(url, AbortSignal.timeout(150)), url, /: the download was cancelled$/),
    );
    expect(performance.now() - started).toBeLessThan(1500);
    const aborted = new AbortController();
    aborted.abort();
    await withFetcher({}, (fetcher) =>
      expectRefusal(fetcher.fetch(url, aborted.signal), url, /: the download was cancelled$/),
    );
  });

  it('refuses a 6 MiB body streamed without Content-Length', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/big-streamed`;
    await withFetcher({}, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /: the image is larger than 5242880 bytes$/),
    );
  });

  it('refuses a declared Content-Length over the cap without waiting for the body', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/big-declared`;
    const started = performance.now();
    await withFetcher({}, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /: the image is larger than 5242880 bytes$/),
    );
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('stops reading an endless body soon after the cap instead of buffering it', async () => {
    const url = `http://${PUBLIC_HOST}:${publicPort}/endless`;
    const maxBytes = 1024 * 1024;
    await withFetcher({ maxBytes }, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /: the image is larger than 1048576 bytes$/),
    );
    await endlessFinished;
    // The server only gets this far because of socket buffers; a buffering client would have taken gigabytes.
    expect(endlessBytesWritten).toBeGreaterThan(maxBytes);
    expect(endlessBytesWritten).toBeLessThan(64 * 1024 * 1024);
  });

  it('allowPrivate lets 127.0.0.1 through', async () => {
    const url = `http://127.0.0.1:${internalPort}/image.png`;
    const resource = await withFetcher({ allowPrivate: true, allowAddresses: [] }, (fetcher) =>
      fetcher.fetch(url),
    );
    expect(resource.bytes.equals(imageBytes)).toBe(true);
  });

  it('allowPrivate still refuses the cloud metadata address', async () => {
    const url = 'http://169.254.169.254/latest/meta-data';
    await withFetcher({ allowPrivate: true }, (fetcher) =>
      expectRefusal(fetcher.fetch(url), url, /the address 169\.254\.169\.254 is a cloud metadata address/),
    );
  });
});
