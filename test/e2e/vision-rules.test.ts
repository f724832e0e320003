// The two revisions of the image rules through the official SDK: a server on the default (2026-09) and one
// configured with `vision: { rules: "2026-04" }` count the docs' examples each by its own rules, report the
// revision they used, apply their own byte limits, and word `oversized_image: "error"` as the API does.
import Anthropic, { type APIError, BadRequestError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solid } from '../support/images.js';
import { rejectionBy } from '../support/thrown.js';
import { type LoopbackServer, startContentServer } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

let current: TestSightline; // rules 2026-09 (the default)
let old: TestSightline; // rules 2026-04
let images: LoopbackServer;
const clients: Record<'2026-09' | '2026-04', Anthropic> = {} as never;
const png: Record<string, Buffer> = {};
let between5And10MB: Buffer; // a valid JPEG whose base64 is ~6.9 MB

const SIZES = ['200x200', '1000x1000', '1920x1080', '2000x1500', '3840x2160'] as const;

// image tokens of each size: docs/rules/images.md §8.1 (2026-09) and §8.2 (2026-04)
const EXPECTED: Record<'2026-09' | '2026-04', Record<string, Record<(typeof SIZES)[number], number>>> = {
  '2026-09': {
    'claude-sonnet-4-6': {
      '200x200': 64,
      '1000x1000': 1296,
      '1920x1080': 1560,
      '2000x1500': 1564,
      '3840x2160': 1560,
    },
    'claude-opus-4-7': {
      '200x200': 64,
      '1000x1000': 1296,
      '1920x1080': 2691,
      '2000x1500': 3888,
      '3840x2160': 4784,
    },
  },
  '2026-04': {
    'claude-sonnet-4-6': {
      '200x200': 54,
      '1000x1000': 1334,
      '1920x1080': 1567,
      '2000x1500': 1568,
      '3840x2160': 1567,
    },
    'claude-opus-4-7': {
      '200x200': 54,
      '1000x1000': 1334,
      '1920x1080': 2765,
      '2000x1500': 4000,
      '3840x2160': 4781,
    },
  },
};

const base64Block = (bytes: Buffer, mediaType = 'image/png') =>
  ({
    type: 'image',
    source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') },
  }) as Anthropic.Messages.ImageBlockParam;

/** A JPEG padded with comment segments (each at most 65,533 bytes) to about `bytes`: valid, quick to decode. */
async function paddedJpeg(bytes: number): Promise<Buffer> {
  const jpeg = await solid(64, 48, [90, 120, 150]).jpeg().toBuffer();
  const segments: Buffer[] = [];
  for (let total = 0; total < bytes; total += 65_535) {
    const segment = Buffer.alloc(65_535, 0x41);
    segment.writeUInt16BE(0xfffe, 0); // COM
    segment.writeUInt16BE(65_533, 2);
    segments.push(segment);
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

const rejection = (promise: Promise<unknown>): Promise<APIError> => rejectionBy(promise, BadRequestError);
const messageOf = (error: APIError) => (error.error as { error: { message: string } }).error.message;

beforeAll(async () => {
  for (const size of SIZES) {
    const [width, height] = size.split('x').map(Number) as [number, number];
    png[size] = await solid(width, height, [40, 80, 120]).png().toBuffer();
  }
  between5And10MB = await paddedJpeg(5_200_000);
  images = await startContentServer({ '/wide.png': { body: png['1920x1080']!, type: 'image/png' } });
  current = await startSightline('', { allowPrivateUrls: true });
  old = await startSightline('vision: { rules: "2026-04" }\n', { allowPrivateUrls: true });
  clients['2026-09'] = new Anthropic({ baseURL: current.url, apiKey: 'sk-rules', maxRetries: 0 });
  clients['2026-04'] = new Anthropic({ baseURL: old.url, apiKey: 'sk-rules', maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await current?.stop();
  await old?.stop();
  await images?.close();
});

describe('count_tokens by revision: the docs’ examples', () => {
  for (const rules of ['2026-09', '2026-04'] as const) {
    it(`rules ${rules}: each image counted by that revision, the revision reported`, async () => {
      const client = clients[rules];
      for (const [model, expected] of Object.entries(EXPECTED[rules])) {
        const text = { type: 'text', text: 'What is in this image?' } as const;
        const textOnly = await client.messages.countTokens({
          model,
          messages: [{ role: 'user', content: [text] }],
        });
        expect((textOnly as unknown as { sightline: { rules: string } }).sightline.rules).toBe(rules);
        for (const size of SIZES) {
          const counted = await client.messages.countTokens({
            model,
            messages: [{ role: 'user', content: [base64Block(png[size]!), text] }],
          });
          expect(counted.input_tokens - textOnly.input_tokens, `${model} ${size}`).toBe(expected[size]);
        }
      }
    });
  }
});

describe('messages by revision', () => {
  it('usage.sightline.rules names the revision; the view follows it', async () => {
    for (const [rules, view] of [
      ['2026-09', '1456x819'],
      ['2026-04', '1445x813'],
    ] as const) {
      const { data: message, response } = await clients[rules].messages
        .create({
          model: 'claude-sonnet-4-6',
          max_tokens: 32,
          messages: [
            { role: 'user', content: [base64Block(png['1920x1080']!), { type: 'text', text: 'Hi' }] },
          ],
        })
        .withResponse();
      const usage = message.usage as typeof message.usage & { sightline: { rules: string } };
      expect(usage.sightline.rules).toBe(rules);
      expect(response.headers.get('sightline-image-scales')).toBe(`messages.0.content.0=1920x1080>${view}`);
    }
    // a request without images reports the revision too
    const text = await clients['2026-09'].messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect((text.usage as unknown as { sightline: { rules: string } }).sightline.rules).toBe('2026-09');
  });

  it('a base64 image between 5 and 10 MB: accepted under 2026-09, refused under 2026-04', async () => {
    const block = base64Block(between5And10MB, 'image/jpeg');
    const length = between5And10MB.toString('base64').length;
    expect(length).toBeGreaterThan(5 * 1024 * 1024);
    const ask = { model: 'claude-sonnet-4-6', messages: [{ role: 'user' as const, content: [block] }] };
    const counted = await clients['2026-09'].messages.countTokens(ask);
    expect(counted.input_tokens).toBeGreaterThan(6);
    const error = await rejection(clients['2026-04'].messages.countTokens(ask));
    expect(messageOf(error)).toBe(
      `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: ${length} bytes > 5242880 bytes`,
    );
  });
});

describe('oversized_image: "error" (docs/rules/images.md §4)', () => {
  const message = (view: string) =>
    `image dimensions 1920x1080 exceed the maximum image size of a model named on this request and would be downsized to ${view}; scale the image to at most ${view} or set the image's oversized_image setting to "downsize"`;

  it('base64: the message with the block’s position, on Messages and count_tokens', async () => {
    const block = {
      ...base64Block(png['1920x1080']!),
      transformations: { oversized_image: 'error' as const },
    };
    const ask = { model: 'claude-haiku-4-5', messages: [{ role: 'user' as const, content: [block] }] };
    for (const [rules, view] of [
      ['2026-09', '1456x819'],
      ['2026-04', '1445x813'],
    ] as const) {
      const create = await rejection(clients[rules].messages.create({ ...ask, max_tokens: 16 }));
      expect(messageOf(create)).toBe(`messages.0.content.0: ${message(view)}`);
      const count = await rejection(clients[rules].messages.countTokens(ask));
      expect(messageOf(count)).toBe(`messages.0.content.0: ${message(view)}`);
    }
    // a high-resolution model takes it as it is; "downsize", {} and null resize
    await clients['2026-09'].messages.countTokens({ ...ask, model: 'claude-opus-4-7' });
    for (const transformations of [{ oversized_image: 'downsize' as const }, {}, null]) {
      const counted = await clients['2026-09'].messages.countTokens({
        ...ask,
        messages: [
          { role: 'user', content: [{ ...block, transformations } as Anthropic.Messages.ImageBlockParam] },
        ],
      });
      expect(counted.input_tokens).toBeGreaterThan(1560);
    }
  });

  it('url: the message without a position on Messages; count_tokens checks base64 images only', async () => {
    const block = {
      type: 'image',
      source: { type: 'url', url: `${images.url}/wide.png` },
      transformations: { oversized_image: 'error' },
    } as Anthropic.Messages.ImageBlockParam;
    const ask = {
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Image:' }, block] }],
    };
    const error = await rejection(clients['2026-09'].messages.create({ ...ask, max_tokens: 16 }));
    expect(messageOf(error)).toBe(message('1456x819'));
    const counted = await clients['2026-09'].messages.countTokens(ask);
    expect(counted.input_tokens).toBeGreaterThan(1560);
  });
});

describe('the Workbench computes with the server’s revision', () => {
  it('vision-rules.js names it', async () => {
    for (const [server, rules] of [
      [current, '2026-09'],
      [old, '2026-04'],
    ] as const) {
      const module = await fetch(`${server.url}/workbench/web/vision-rules.js`);
      expect(module.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await module.text()).toContain(`export const VISION_RULES = "${rules}";`);
    }
  });
});
