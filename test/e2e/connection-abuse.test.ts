// Issue 11, items 3, 4 and 9 against a real `sightline serve` process over real sockets: silent and slow
// clients are timed out, the connection cap keeps /healthz reachable, pathological JSON is refused from
// its bytes without blocking the loop, and every malformed request is answered in the error envelope.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServeProcess } from '../support/process.js';
import { openSilentSocket, rawExchange } from './support/raw-http.js';

const KEY = 'sk-abuse';
let server: ServeProcess;
let host: string;

beforeAll(async () => {
  server = await startServeProcess(
    [
      `api_keys: [{ key: ${KEY}, workspace: abuse }]`,
      'server:',
      '  headers_timeout_ms: 1500',
      '  keep_alive_timeout_ms: 1000',
      '  json_body_timeout_ms: 2000',
      '  max_connections: 40',
      '',
    ].join('\n'),
  );
  host = new URL(server.url).host;
});

afterAll(async () => {
  await server?.stop();
});

const envelopeOf = (answer: { body: string; headers: Record<string, string> }) => {
  const body = JSON.parse(answer.body) as { type: string; error: { type: string; message: string } };
  expect(body.type).toBe('error');
  expect(answer.headers['request-id']).toMatch(/^req_/);
  return body.error;
};

const request = (lines: string[], body = '') => `${lines.join('\r\n')}\r\n\r\n${body}`;

describe('connection hygiene', () => {
  it('a connection that sends nothing is answered 408 and closed once the header timeout passes', async () => {
    const answer = await rawExchange(server.url, [], { giveUpMs: 8_000 });
    expect(answer.closedAfterMs).toBeLessThan(4_000);
    expect(answer.status).toBe(408);
    expect(envelopeOf(answer).type).toBe('timeout_error');
  });

  it('headers trickled slower than the header timeout are cut the same way', async () => {
    const answer = await rawExchange(
      server.url,
      ['GET /healthz HTTP/1.1\r\n', `Host: ${host}\r\n`, 'x-a: 1\r\n', 'x-b: 1\r\n', 'x-c: 1\r\n'],
      { pauseMs: 700, giveUpMs: 8_000 },
    );
    expect(answer.closedAfterMs).toBeLessThan(4_500);
    expect(answer.status).toBe(408);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const answer = await rawExchange(server.url, request(['GET /healthz HTTP/1.1', `Host: ${host}`]), {
      giveUpMs: 8_000,
    });
    expect(answer.status).toBe(200);
    expect(answer.closedAfterMs).toBeLessThan(3_000);
  });

  it('a JSON body slower than its timeout gets 408 in the envelope, and the connection is closed', async () => {
    const head = request([
      'POST /v1/messages HTTP/1.1',
      `Host: ${host}`,
      `x-api-key: ${KEY}`,
      'content-type: application/json',
      'content-length: 1000',
    ]);
    const answer = await rawExchange(server.url, [head, ...Array.from({ length: 20 }, () => '          ')], {
      pauseMs: 300,
      giveUpMs: 10_000,
    });
    expect(answer.status).toBe(408);
    expect(envelopeOf(answer)).toMatchObject({ type: 'timeout_error' });
    expect(answer.closedAfterMs).toBeLessThan(4_000);
  });

  it('a content-length promising more than is sent ends in a 408 envelope, not a socket held for minutes', async () => {
    const answer = await rawExchange(
      server.url,
      request(
        [
          'POST /v1/messages/count_tokens HTTP/1.1',
          `Host: ${host}`,
          `x-api-key: ${KEY}`,
          'content-type: application/json',
          'content-length: 100',
        ],
        '{}',
      ),
      { giveUpMs: 8_000 },
    );
    expect(answer.status).toBe(408);
    envelopeOf(answer);
  });

  it('an upload keeps the long timeout: a multipart body sent over longer than the JSON limit is stored', async () => {
    const boundary = 'sightline-slow-upload';
    const content = 'x'.repeat(4096);
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`;
    const head = request([
      'POST /v1/files HTTP/1.1',
      `Host: ${host}`,
      `x-api-key: ${KEY}`,
      'anthropic-beta: files-api-2025-04-14',
      `content-type: multipart/form-data; boundary=${boundary}`,
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
    ]);
    const pieces = [head, ...(body.match(/[\s\S]{1,512}/g) ?? [])];
    const answer = await rawExchange(server.url, pieces, { pauseMs: 300, giveUpMs: 10_000 });
    expect(pieces.length * 300).toBeGreaterThan(2_000);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'file', size_bytes: 4096 });
  });

  it('past the connection cap, silent connections make room: /healthz still answers', async () => {
    const sockets: Socket[] = [];
    try {
      for (let index = 0; index < 120; index += 1) sockets.push(await openSilentSocket(server.url));
      const started = Date.now();
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(3_000) });
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sockets.filter((socket) => !socket.destroyed).length).toBeLessThanOrEqual(40);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe('pathological JSON', () => {
  const post = (body: string | Blob) =>
    fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(20_000),
    });

  it('16 MB of nested arrays in metadata: refused at once, the event loop stays free', async () => {
    const depth = 8 * 1024 * 1024;
    const body = `{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const healthTimes: number[] = [];
    let done = false;
    const probe = (async () => {
      while (!done) {
        const started = Date.now();
        await fetch(`${server.url}/healthz`);
        healthTimes.push(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const bytes = new Blob([body]);
    const responses = await Promise.all([post(bytes), post(bytes), post(bytes)]);
    done = true;
    await probe;
    for (const response of responses) {
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { type: string; message: string } };
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toMatch(/nests arrays and objects more than 128 levels deep/);
    }
    // before: /healthz waited 8.8 s behind such bodies (the bound leaves room for a busy shared machine;
    // this test process itself sends the 48 MB)
    expect(Math.max(...healthTimes)).toBeLessThan(2_000);
  });

  it('millions of tiny values: refused with a clear message', async () => {
    const body = `{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"metadata":{"x":[${'[],'.repeat(2_000_000)}[]]}}`;
    const response = await post(body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/holds more than 1000000 JSON values/);
  });

  it('an ordinary request still passes the scanner', async () => {
    const response = await fetch(`${server.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'a "quoted \\" text" with [brackets] and {braces}' }],
      }),
    });
    expect(response.status).toBe(200);
  });
});

describe('every error in the envelope, after the Host check and the key', () => {
  // built when the test runs: `host` is known only once the server is up
  const withKey =
    (line: string, extra: string[] = [], body = '') =>
    () =>
      request([line, `Host: ${host}`, `x-api-key: ${KEY}`, 'connection: close', ...extra], body);

  it.each([
    ['a malformed URL', withKey('GET /v1/files/% HTTP/1.1'), 400, 'invalid_request_error'],
    [
      'an over-long path parameter',
      withKey(`GET /v1/files/${'a'.repeat(600)} HTTP/1.1`),
      414,
      'invalid_request_error',
    ],
    ['an unknown route', withKey('GET /v1/nothing-here HTTP/1.1'), 404, 'not_found_error'],
    [
      'headers over 16 KB',
      withKey('GET /healthz HTTP/1.1', [`x-big: ${'a'.repeat(20_000)}`]),
      431,
      'invalid_request_error',
    ],
    ['a request line that is not HTTP', () => 'HELLO\r\n\r\n', 400, 'invalid_request_error'],
    [
      'a broken chunked body',
      withKey(
        'POST /v1/messages HTTP/1.1',
        ['content-type: application/json', 'transfer-encoding: chunked'],
        'zz\r\n',
      ),
      400,
      'invalid_request_error',
    ],
    [
      'both content-length and chunked',
      withKey(
        'POST /v1/messages HTTP/1.1',
        ['content-type: application/json', 'transfer-encoding: chunked', 'content-length: 3'],
        '2\r\n{}\r\n0\r\n\r\n',
      ),
      400,
      'invalid_request_error',
    ],
  ])('%s', async (_name, raw, status, type) => {
    const answer = await rawExchange(server.url, raw(), { giveUpMs: 5_000 });
    expect(answer.status).toBe(status);
    expect(envelopeOf(answer).type).toBe(type);
  });

  it('a malformed URL from a foreign Host is refused as such, without a key as unauthenticated', async () => {
    const foreign = await rawExchange(
      server.url,
      request(['GET /v1/files/% HTTP/1.1', 'Host: evil.example', `x-api-key: ${KEY}`]),
    );
    expect(foreign.status).toBe(403);
    expect(envelopeOf(foreign).type).toBe('permission_error');
    const anonymous = await rawExchange(server.url, request(['GET /v1/files/% HTTP/1.1', `Host: ${host}`]));
    expect(anonymous.status).toBe(401);
    expect(envelopeOf(anonymous).type).toBe('authentication_error');
  });

  it('the server keeps serving afterwards', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
  });
});
