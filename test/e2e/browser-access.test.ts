// Browser access as the API does it (docs/rules/wire.md §5): preflights without a key, the opt-in
// header required of requests with an Origin, CORS headers on every answer (errors too), and an
// operator's `cors.allow_origins`. Driven by fetch (as a page would), SDK 1.15 and curl.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Anthropic, { AuthenticationError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSightline, type TestSightline } from './support/servers.js';

const run = promisify(execFile);
let open: TestSightline;
let restricted: TestSightline;
const page = 'https://app.example';
const body = JSON.stringify({
  model: 'claude-haiku-4-5',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'Hello' }],
});

beforeAll(async () => {
  [open, restricted] = await Promise.all([
    startSightline(),
    startSightline('cors: { allow_origins: ["https://app.example"] }'),
  ]);
});

afterAll(async () => {
  await Promise.all([open?.stop(), restricted?.stop()]);
});

const preflight = (base: string, origin = page) =>
  fetch(`${base}/v1/messages`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers':
        'anthropic-dangerous-direct-browser-access,anthropic-version,authorization,content-type,x-stainless-retry-count',
    },
  });

const post = (base: string, headers: Record<string, string>) =>
  fetch(`${base}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body,
  });

describe('any origin that opts in (the default, as the API)', () => {
  it('a preflight is answered before authentication, allowing what the SDK sends', async () => {
    const response = await preflight(open.url);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-headers')).toContain(
      'anthropic-dangerous-direct-browser-access',
    );
  });

  it('without the opt-in header: 401 with the exact message and no CORS headers', async () => {
    const response = await post(open.url, { origin: page, 'x-api-key': 'sk-browser' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: {
        type: 'authentication_error',
        message: "CORS requests must set 'anthropic-dangerous-direct-browser-access' header",
      },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with it: the answer carries allow-origin * and expose-headers *, errors too', async () => {
    const optIn = { origin: page, 'anthropic-dangerous-direct-browser-access': 'true' };
    const ok = await post(open.url, { ...optIn, 'x-api-key': 'sk-browser' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-expose-headers')).toBe('*');
    const noKey = await post(open.url, optIn);
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('access-control-allow-origin')).toBe('*');
    expect(noKey.headers.get('access-control-expose-headers')).toBe('*');
  });

  it('SDK 1.15 with dangerouslyAllowBrowser works; without the header it gets the 401', async () => {
    const browserLike = new Anthropic({
      baseURL: open.url,
      apiKey: 'sk-browser',
      dangerouslyAllowBrowser: true,
      defaultHeaders: { origin: page },
      maxRetries: 0,
    });
    const message = await browserLike.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.type).toBe('message');
    const withoutOptIn = new Anthropic({
      baseURL: open.url,
      apiKey: 'sk-browser',
      defaultHeaders: { origin: page },
      maxRetries: 0,
    });
    await expect(withoutOptIn.models.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('a page served by Sightline itself is not a cross-origin caller', async () => {
    const response = await post(open.url, { origin: open.url, 'x-api-key': 'sk-browser' });
    expect(response.status).toBe(200);
  });

  it('curl, as the docs show it', async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-i',
      '-X',
      'OPTIONS',
      `${open.url}/v1/models`,
      '-H',
      `Origin: ${page}`,
      '-H',
      'Access-Control-Request-Method: GET',
      '-H',
      'Access-Control-Request-Headers: x-api-key',
    ]);
    expect(stdout).toMatch(/^HTTP\/1\.1 204/);
    expect(stdout.toLowerCase()).toContain('access-control-allow-origin: *');
  });

  it('the loopback Host check still comes first', async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'OPTIONS',
      `${open.url}/v1/messages`,
      '-H',
      'Host: attacker.example',
      '-H',
      `Origin: ${page}`,
      '-H',
      'Access-Control-Request-Method: POST',
    ]);
    expect(stdout).toBe('403');
  });
});

describe('cors.allow_origins', () => {
  it('echoes an allowed origin, with vary: origin', async () => {
    const response = await preflight(restricted.url);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(page);
    expect(response.headers.get('vary')).toContain('origin');
    const ok = await post(restricted.url, {
      origin: page,
      'anthropic-dangerous-direct-browser-access': 'true',
      'x-api-key': 'k',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(page);
  });

  it('refuses other origins with 403 permission_error, preflight included', async () => {
    expect((await preflight(restricted.url, 'https://evil.example')).status).toBe(403);
    const response = await post(restricted.url, {
      origin: 'https://evil.example',
      'anthropic-dangerous-direct-browser-access': 'true',
      'x-api-key': 'k',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { type: 'permission_error' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
