// The HTTP client against a loopback server: headers, ?beta=true, JSON and streamed multipart bodies,
// errors as ApiResponseError (docs/rules/cli.md §7, first line) and ConnectionError.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponseError, ConnectionError, contentTypeForFile, createApiClient } from './http-client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
let directory: string;
const seen: Seen[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sightline-http-'));
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('latin1'),
      });
      if (request.url?.startsWith('/v1/fail')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"type":"error"}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await rm(directory, { recursive: true, force: true });
});

describe('createApiClient', () => {
  it('builds URLs with ?beta=true first', () =>
    expect(
      createApiClient({ baseUrl: 'http://h' }).url({
        path: '/v1/files',
        beta: true,
        query: { limit: 5, x: undefined },
      }),
    ).toBe('http://h/v1/files?beta=true&limit=5'));
  it('repeats a query key for each value of a list', () =>
    expect(
      createApiClient({ baseUrl: 'http://h' }).url({
        path: '/v1/organizations/usage_report/messages',
        query: { 'group_by[]': ['model', 'api_key_id'], limit: 31 },
      }),
    ).toBe(
      'http://h/v1/organizations/usage_report/messages?group_by%5B%5D=model&group_by%5B%5D=api_key_id&limit=31',
    ));
  it('sends the key, version, betas and a JSON body', async () => {
    const client = createApiClient({ baseUrl, apiKey: 'sk-1', authToken: 'tok' });
    const response = await client.send({
      method: 'POST',
      path: '/v1/messages',
      beta: true,
      betas: ['a', 'b'],
      json: { model: 'm' },
    });
    expect(await response.json()).toEqual({ ok: true });
    const request = seen.at(-1)!;
    expect(request.url).toBe('/v1/messages?beta=true');
    expect(request.headers).toMatchObject({
      'x-api-key': 'sk-1',
      authorization: 'Bearer tok',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'a,b',
      'content-type': 'application/json',
    });
    expect(request.body).toBe('{"model":"m"}');
  });
  it('uploads a file as multipart: field `file`, its basename, a type from the extension', async () => {
    const file = join(directory, 'photo.png');
    await writeFile(file, 'PNGDATA');
    await createApiClient({ baseUrl }).send({
      method: 'POST',
      path: '/v1/files',
      upload: {
        filename: 'photo.png',
        contentType: 'image/png',
        path: file,
        fields: { expires_in_seconds: '3600' },
      },
    });
    const request = seen.at(-1)!;
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.body).toContain('Content-Disposition: form-data; name="file"; filename="photo.png"');
    expect(request.body).toContain('Content-Type: image/png\r\n\r\nPNGDATA');
    expect(request.body).toContain('name="expires_in_seconds"\r\n\r\n3600');
  });
  it('a non-2xx answer is an ApiResponseError', async () => {
    const error = await createApiClient({ baseUrl })
      .send({ method: 'DELETE', path: '/v1/fail' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiResponseError);
    expect((error as ApiResponseError).message).toBe(`DELETE "${baseUrl}/v1/fail": 404 Not Found`);
    expect((error as ApiResponseError).bodyText).toBe('{"type":"error"}');
  });
  it('an unreachable server is a ConnectionError', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    await expect(
      createApiClient({ baseUrl: `http://127.0.0.1:${port}` }).send({ method: 'GET', path: '/v1/models' }),
    ).rejects.toThrow(ConnectionError);
  });
});

describe('contentTypeForFile', () => {
  it('by extension', () => {
    expect(contentTypeForFile('a/photo.JPG')).toBe('image/jpeg');
    expect(contentTypeForFile('x.webp')).toBe('image/webp');
    expect(contentTypeForFile('notes.txt')).toBe('text/plain; charset=utf-8');
  });
  it('unknown: application/octet-stream', () =>
    expect(contentTypeForFile('blob.bin')).toBe('application/octet-stream'));
});
