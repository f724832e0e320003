// Every rejection of docs/rules/images.md §3, and URL safety (docs/rules/pipeline.md §6), as the official SDK sees them: the right error
// class, status, type and message; the server keeps serving.
import Anthropic, { APIError, AuthenticationError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, pngBomb, solid } from '../support/images.js';
import { rejectionBy } from '../support/thrown.js';
import { type LoopbackServer, startLoopbackServer } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let client: Anthropic;
let publicHost: LoopbackServer; // stands in for a public image host: 127.0.0.2, allowed by address
let silent: LoopbackServer; // accepts connections and never answers
const model = 'claude-haiku-4-5';
const jpeg = fixture('libvips/sample.jpg');
let small: string;
let photoFetches = 0;

type Content = Anthropic.Messages.ContentBlockParam[];
const send = (content: Content, extra: Partial<Anthropic.Messages.MessageCreateParamsNonStreaming> = {}) =>
  client.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content }], ...extra });

const rejection = (promise: Promise<unknown>): Promise<APIError> => rejectionBy(promise, APIError);

async function expectBadRequest(content: Content, message: string) {
  const error = await rejection(send(content));
  expect(error).toBeInstanceOf(BadRequestError);
  expect(error.status).toBe(400);
  expect(error.type).toBe('invalid_request_error');
  expect((error.error as { error: { message: string } }).error.message).toBe(message);
  expect(error.requestID).toMatch(/^req_/);
  // count_tokens refuses exactly what messages refuses (issue 11): the same status and words
  const counted = await rejection(
    client.messages.countTokens({ model, messages: [{ role: 'user', content }] }),
  );
  expect(counted.status).toBe(400);
  expect((counted.error as { error: { message: string } }).error.message).toBe(message);
}

const b64 = (data: string, media_type = 'image/png') =>
  ({ type: 'image', source: { type: 'base64', media_type, data } }) as Anthropic.Messages.ImageBlockParam;
const url = (address: string) =>
  ({ type: 'image', source: { type: 'url', url: address } }) as Anthropic.Messages.ImageBlockParam;

beforeAll(async () => {
  small = (await solid(20, 20, [1, 2, 3]).png().toBuffer()).toString('base64');
  publicHost = await startLoopbackServer(
    (request, response) => {
      if (request.url === '/redirect-private') {
        response.writeHead(302, { location: `http://127.0.0.1:${sightlineAddress()}/healthz` }).end();
      } else if (request.url === '/huge') {
        response.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(1024 * 1024, 1);
        let sent = 0;
        const write = () => {
          while (sent < 12 && response.write(chunk)) sent += 1;
          if (sent >= 12) response.end();
          else response.once('drain', write);
        };
        write();
      } else if (request.url === '/photo.jpg') {
        photoFetches += 1;
        response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      } else response.writeHead(404).end();
    },
    { host: '127.0.0.2' },
  );
  silent = await startLoopbackServer(undefined, { host: '127.0.0.2' });
  sightline = await startSightline('allow_url_addresses: ["127.0.0.2"]');
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-errors', maxRetries: 0, timeout: 60_000 });
});

const sightlineAddress = () => new URL(sightline.url).port;

afterAll(async () => {
  await sightline?.stop();
  await Promise.all([publicHost?.close(), silent?.close()]);
});

describe('docs/rules/images.md §3 through the SDK', () => {
  it('1. a body over 32 MiB: 413 request_too_large, before parsing', async () => {
    const error = await rejection(send([b64('A'.repeat(33 * 1024 * 1024))]));
    expect(error.status).toBe(413);
    expect(error.type).toBe('request_too_large');
  });

  it('2. media_type outside the four values', () =>
    expectBadRequest(
      [{ type: 'text', text: 'hi' }, b64(small, 'image/bmp')],
      "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    ));

  it('3. invalid base64', () =>
    expectBadRequest(
      [{ type: 'text', text: 'hi' }, b64('iVBO!!Rw0K Ggo=')],
      'messages.0.content.1.image.source.base64: invalid base64 data',
    ));

  it('4. over 10 MB (rules 2026-09, the Claude API directly)', () =>
    expectBadRequest(
      [{ type: 'text', text: 'hi' }, b64('A'.repeat(10485764))],
      'messages.0.content.1.image.source.base64: image exceeds 10 MB maximum: 10485764 bytes > 10485760 bytes',
    ));

  it('5. not an image we can process', async () => {
    await expectBadRequest(
      [b64(fixture('libvips/sample.tif').toString('base64'))],
      'Could not process image',
    );
    await expectBadRequest(
      [b64(fixture('libvips/truncated.jpg').toString('base64'), 'image/jpeg')],
      'Could not process image',
    );
  });

  it('6. declared type differs from the bytes', () =>
    expectBadRequest(
      [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, b64(jpeg.toString('base64'), 'image/png')],
      'messages.0.content.2.image.source.base64: The image was specified using the image/png media type, but the image appears to be a image/jpeg image',
    ));

  it('7. a side over 8000 px (a bomb, refused from its header)', () =>
    expectBadRequest(
      [b64(pngBomb(60000, 60000).toString('base64'))],
      'messages.0.content.0.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    ));

  it('8. more than 20 images with a side over 2000 px', async () => {
    const content: Content = Array.from({ length: 21 }, () => b64(small));
    content[4] = b64(pngBomb(2500, 10).toString('base64'));
    await expectBadRequest(
      content,
      'messages.0.content.4.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels',
    );
  });

  it('9. more images than the model allows', async () => {
    await expectBadRequest(
      Array.from({ length: 101 }, () => b64(small)),
      'Too much media: 0 document pages + 101 images > 100',
    );
  });

  it('10. oversized_image: "error"', async () => {
    const big = (await solid(2000, 1500, [5, 5, 5]).png().toBuffer()).toString('base64');
    await expectBadRequest(
      [{ ...b64(big), transformations: { oversized_image: 'error' } } as Anthropic.Messages.ImageBlockParam],
      'messages.0.content.0: image dimensions 2000x1500 exceed the maximum image size of a model named on this request and would be downsized to 1270x952; scale the image to at most 1270x952 or set the image\'s oversized_image setting to "downsize"',
    );
  });

  it('11. an unknown file id: 404', async () => {
    const error = await rejection(
      send([
        {
          type: 'image',
          source: { type: 'file', file_id: 'file_011CNotThere' },
        } as Anthropic.Messages.ImageBlockParam,
      ]),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.type).toBe('not_found_error');
  });

  it('an unknown model: 404 model: <id>', async () => {
    const error = await rejection(
      client.messages.create({
        model: 'claude-imaginary-9',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error.error as { error: { message: string } }).error.message).toBe('model: claude-imaginary-9');
  });

  it('count_tokens runs the same checks', async () => {
    const error = await rejection(
      client.messages.countTokens({ model, messages: [{ role: 'user', content: [b64('@@')] }] }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it('a missing key: 401 authentication_error', async () => {
    const response = await fetch(`${sightline.url}/v1/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
  });

  it('invalid JSON and prototype-poisoned bodies: 400 invalid_request_error', async () => {
    for (const body of [
      '{"model":',
      '{"model":"claude-haiku-4-5","max_tokens":5,"messages":[],"__proto__":{"x":1}}',
    ]) {
      const response = await fetch(`${sightline.url}/v1/messages`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error' },
      });
    }
  });

  it('errors are not retried by the SDK and the server keeps serving', async () => {
    const ok = await send([{ type: 'text', text: 'hello' }]);
    expect(ok.type).toBe('message');
  });
});

describe('url sources are fetched safely (docs/rules/pipeline.md §6)', () => {
  const refused = async (address: string, cause: RegExp) => {
    const error = await rejection(send([url(address)]));
    expect(error).toBeInstanceOf(BadRequestError);
    const message = (error.error as { error: { message: string } }).error.message;
    expect(message).toContain(address.split('/').slice(0, 3).join('/'));
    expect(message).toMatch(cause);
  };

  it('a public host serves the image', async () => {
    const message = await send([url(`${publicHost.url}/photo.jpg`)]);
    expect(message.usage.input_tokens).toBeGreaterThan(171);
  });

  it('loopback, private, link-local and IPv6 loopback addresses are refused', async () => {
    await refused(`http://127.0.0.1:${sightlineAddress()}/healthz`, /private|loopback|not allowed/i);
    await refused('http://10.0.0.1/image.png', /private|not allowed/i);
    await refused('http://169.254.169.254/latest/meta-data/', /metadata|not allowed/i);
    await refused(`http://[::1]:${sightlineAddress()}/healthz`, /private|loopback|not allowed/i);
  });

  it('a redirect to a private address is refused', () =>
    refused(`${publicHost.url}/redirect-private`, /127\.0\.0\.1/));

  it('over the image count, no url is fetched at all; a url repeated in one request is fetched once', async () => {
    const before = photoFetches;
    await expectBadRequest(
      Array.from({ length: 150 }, () => url(`${publicHost.url}/photo.jpg`)),
      'Too much media: 0 document pages + 150 images > 100',
    );
    expect(photoFetches).toBe(before);
    const message = await send(Array.from({ length: 10 }, () => url(`${publicHost.url}/photo.jpg`)));
    expect(message.usage.input_tokens).toBeGreaterThan(10 * 171);
    expect(photoFetches).toBe(before + 1);
  });

  it('a server that never answers is refused after the timeout', async () => {
    const slow = await startSightline('allow_url_addresses: ["127.0.0.2"]');
    try {
      // a short timeout for this test: the default (10 s) is exercised by the fetcher's own tests
      const shortClient = new Anthropic({ baseURL: slow.url, apiKey: 'k', maxRetries: 0 });
      const started = Date.now();
      const error = await rejection(
        shortClient.messages.create({
          model,
          max_tokens: 5,
          messages: [{ role: 'user', content: [url(`${silent.url}/x.png`)] }],
        }),
      );
      expect(error.status).toBe(400);
      expect((error.error as { error: { message: string } }).error.message).toMatch(
        /did not answer|timed out|within/,
      );
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      await slow.stop();
    }
  }, 40_000);

  it('a body over the 10 MB cap is refused while streaming', () =>
    refused(`${publicHost.url}/huge`, /larger than 10485760 bytes/));

  it('the server is unharmed', async () => {
    const health = await fetch(`${sightline.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

describe('authentication with configured keys', () => {
  it('is decided by the matched route, not the raw URL; only health and the Workbench are public', async () => {
    const locked = await startSightline('api_keys: [{ key: "sk-team-a", workspace: team-a }]');
    try {
      for (const path of ['/v1/models', '/%761/models', '/v1/files', '/%761/messages', '/v1/nowhere']) {
        const response = await fetch(`${locked.url}${path}`);
        expect(response.status, path).toBe(401);
      }
      expect((await fetch(`${locked.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${locked.url}/`)).status).toBe(200);
    } finally {
      await locked.stop();
    }
  });

  it('refuses a Host that is not loopback while listening on loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const url = new URL(`${sightline.url}/v1/models`);
        request(
          { host: url.hostname, port: url.port, path: url.pathname, headers: { host, 'x-api-key': 'k' } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end();
      });
    expect(await status('attacker.example')).toBe(403);
    expect(await status('attacker.example:80')).toBe(403);
    expect(await status(`localhost:${new URL(sightline.url).port}`)).toBe(200);
    expect(await status('127.0.0.1')).toBe(200);
  });

  it('accepts configured keys by x-api-key or Bearer, refuses others', async () => {
    const locked = await startSightline('api_keys: [{ key: "sk-team-a", workspace: team-a }]');
    try {
      const good = new Anthropic({ baseURL: locked.url, apiKey: 'sk-team-a', maxRetries: 0 });
      expect((await good.models.list()).data.length).toBeGreaterThan(0);
      const bearer = new Anthropic({
        baseURL: locked.url,
        authToken: 'sk-team-a',
        apiKey: null,
        maxRetries: 0,
      });
      expect((await bearer.models.list()).data.length).toBeGreaterThan(0);
      const bad = new Anthropic({ baseURL: locked.url, apiKey: 'sk-wrong', maxRetries: 0 });
      const error = await rejection(bad.models.list());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.type).toBe('authentication_error');
    } finally {
      await locked.stop();
    }
  });
});
