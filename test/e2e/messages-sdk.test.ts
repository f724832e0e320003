// The guide's vision examples through the official SDKs (@anthropic-ai/sdk, Vercel AI SDK), against a
// live Sightline on its embedded defaults (the built-in offline engine answers).
import { createAnthropic } from '@ai-sdk/anthropic';
import Anthropic from '@anthropic-ai/sdk';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, isCallable, planImage } from '../../src/index.js';
import { fixture, halves, noisyJpeg, solid } from '../support/images.js';
import { type LoopbackServer, startContentServer } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let images: LoopbackServer;
let client: Anthropic;
const model = 'claude-sonnet-4-6';
const standard = createCatalog().find(model)!.profile;

const photo = fixture('libvips/sample.jpg'); // 290×442 JPEG
let wide: Buffer; // 1920×1080 PNG: scaled to 1456×819 (rules 2026-09)
let big: Buffer; // 2000×1500 JPEG

const base64Block = (bytes: Buffer, mediaType: 'image/jpeg' | 'image/png') =>
  ({
    type: 'image',
    source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') },
  }) as const;

beforeAll(async () => {
  wide = await halves(1920, 1080, [200, 30, 30], [30, 30, 200]);
  big = await noisyJpeg(2000, 1500);
  images = await startContentServer({ '/ant.jpg': { body: photo, type: 'image/jpeg' } });
  // the image host is on loopback, so this server allows private URLs
  sightline = await startSightline('', { allowPrivateUrls: true });
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-e2e-test', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
  await images?.close();
});

describe('the guide examples through @anthropic-ai/sdk', () => {
  it('one image as base64', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 1024,
      messages: [
        {
          role: 'user',
          content: [base64Block(photo, 'image/jpeg'), { type: 'text', text: 'Describe this image.' }],
        },
      ],
    });
    expect(message.type).toBe('message');
    expect(message.id).toMatch(/^msg_/);
    expect(message.stop_reason).toBe('end_turn');
    const text = message.content[0]!.type === 'text' ? message.content[0]!.text : '';
    expect(text).toContain('Image 1');
    expect(text).toContain('original 290×442');
    expect(text).toContain('cannot describe scenes');
    expect(message._request_id).toMatch(/^req_/);
    // 290×442 → 11×16 patches = 176 tokens (rules 2026-09), plus the text
    const usage = message.usage as typeof message.usage & {
      sightline: { rules: string; images: Array<{ tokens: number }> };
    };
    expect(usage.sightline.images[0]!.tokens).toBe(planImage(290, 442, standard).tokens);
    expect(usage.sightline.images[0]!.tokens).toBe(176);
    expect(usage.sightline.rules).toBe('2026-09');
    const counted = await client.messages.countTokens({
      model,
      messages: [
        {
          role: 'user',
          content: [base64Block(photo, 'image/jpeg'), { type: 'text', text: 'Describe this image.' }],
        },
      ],
    });
    expect(message.usage.input_tokens).toBe(counted.input_tokens);
  });

  it('one image as a url', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 1024,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'url', url: `${images.url}/ant.jpg` } },
            { type: 'text', text: 'Describe this image.' },
          ],
        },
      ],
    });
    expect(JSON.stringify(message.content)).toContain('original 290×442');
  });

  const twoImages = () =>
    [
      { type: 'text', text: 'Image 1:' },
      base64Block(photo, 'image/jpeg'),
      { type: 'text', text: 'Image 2:' },
      base64Block(wide, 'image/png'),
      { type: 'text', text: 'How are these images different?' },
    ] as const;

  it('two images labelled Image 1: and Image 2:', async () => {
    const { data: message, response } = await client.messages
      .create({ model, max_tokens: 1024, messages: [{ role: 'user', content: [...twoImages()] }] })
      .withResponse();
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toContain('Measured 2 images.');
    expect(text).toContain('Image 2 (messages.0.content.3)');
    expect(text).toContain('Model view: 1456×819 on a 1456×840 padded canvas');
    expect(text).toContain('Comparison');
    // the scale applied to each image is reported (docs/rules/images.md §10)
    expect(response.headers.get('sightline-image-scales')).toBe(
      'messages.0.content.1=290x442>290x442, messages.0.content.3=1920x1080>1456x819',
    );
  });

  it('two images with the system prompt "Respond only in Spanish."', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 1024,
      system: 'Respond only in Spanish.',
      messages: [{ role: 'user', content: [...twoImages()] }],
    });
    expect(message.stop_reason).toBe('end_turn');
    const withoutSystem = await client.messages.countTokens({
      model,
      messages: [{ role: 'user', content: [...twoImages()] }],
    });
    expect(message.usage.input_tokens).toBeGreaterThan(withoutSystem.input_tokens);
  });

  it('four images across two turns', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 2048,
      messages: [
        { role: 'user', content: [...twoImages()] },
        { role: 'assistant', content: 'The first is a photo; the second is two coloured halves.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Image 1:' },
            base64Block(big, 'image/jpeg'),
            { type: 'text', text: 'Image 2:' },
            base64Block(photo, 'image/jpeg'),
            { type: 'text', text: 'Are these images similar to the first two?' },
          ],
        },
      ],
    });
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toContain('Measured 4 images.');
    expect(text).toContain('Image 3 (messages.2.content.1)');
    expect(text).toContain('Model view: 1270×952 on a 1288×952 padded canvas');
  }, 120_000); // OCR of four images: ~5 s on an idle machine, 20–30 s on a loaded one

  it('streaming through client.messages.stream() to its final message', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 1024,
      messages: [{ role: 'user', content: [...twoImages()] }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(3);
    const text = final.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(deltas.join('')).toBe(text);
    expect(final.stop_reason).toBe('end_turn');
    const counted = await client.messages.countTokens({
      model,
      messages: [{ role: 'user', content: [...twoImages()] }],
    });
    expect(final.usage.input_tokens).toBe(counted.input_tokens);
    expect(final.usage.output_tokens).toBeGreaterThan(10);
  });

  it('count_tokens counts each image exactly (rules 2026-09), for each model profile', async () => {
    const text = { type: 'text', text: 'What is in these images?' } as const;
    for (const id of ['claude-sonnet-4-6', 'claude-opus-4-7']) {
      const profile = createCatalog().find(id)!.profile;
      const textOnly = await client.messages.countTokens({
        model: id,
        messages: [{ role: 'user', content: [text] }],
      });
      const withImages = await client.messages.countTokens({
        model: id,
        messages: [
          { role: 'user', content: [base64Block(wide, 'image/png'), base64Block(big, 'image/jpeg'), text] },
        ],
      });
      const expected = planImage(1920, 1080, profile).tokens + planImage(2000, 1500, profile).tokens;
      expect(withImages.input_tokens - textOnly.input_tokens).toBe(expected);
    }
    // the docs' numbers: 1920×1080 is 1560 tokens on Sonnet 4.6 (and 2691 on Opus 4.7)
    expect(planImage(1920, 1080, standard).tokens).toBe(1560);
  });

  it('the models list, paginated, and one model by id or alias', async () => {
    const ids: string[] = [];
    for await (const info of client.models.list({ limit: 2 })) ids.push(info.id);
    expect(ids).toEqual(
      createCatalog()
        .models.filter(isCallable)
        .map((m) => m.id),
    );
    const haiku = await client.models.retrieve('claude-haiku-4-5');
    expect(haiku.id).toBe('claude-haiku-4-5-20251001');
    expect(haiku.capabilities?.image_input.supported).toBe(true);
    await expect(client.models.retrieve('claude-nonexistent')).rejects.toMatchObject({ status: 404 });
  });

  it('the beta surface (?beta=true, anthropic-beta) works the same', async () => {
    const message = await client.beta.messages.create({
      model,
      max_tokens: 100,
      betas: ['files-api-2025-04-14'],
      messages: [{ role: 'user', content: [base64Block(photo, 'image/jpeg'), { type: 'text', text: 'Hi' }] }],
    });
    expect(message.type).toBe('message');
    const counted = await client.beta.messages.countTokens({
      model,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });
});

describe('many images (issue 11: the scales header stays readable)', () => {
  it('600 images through the SDK: one attempt, a summarised header, the full report in the body', async () => {
    const tiny = await solid(24, 16, [40, 120, 200]).png().toBuffer();
    let attempts = 0;
    const counting = new Anthropic({
      baseURL: sightline.url,
      apiKey: 'sk-e2e-test',
      maxRetries: 2, // a header overflow used to make the SDK retry the whole request
      fetch: (input, init) => {
        attempts += 1;
        return fetch(input, init);
      },
    });
    const { data: message, response } = await counting.messages
      .create({
        model,
        max_tokens: 64,
        messages: [
          {
            role: 'user',
            content: [
              ...Array.from({ length: 600 }, () => base64Block(tiny, 'image/png')),
              { type: 'text', text: 'How many images?' },
            ],
          },
        ],
      })
      .withResponse();
    expect(attempts).toBe(1);
    expect(message.type).toBe('message');
    const header = response.headers.get('sightline-image-scales') ?? '';
    expect(header.length).toBeLessThanOrEqual(8 * 1024);
    expect(header).toMatch(
      /^messages\.0\.content\.0=24x16>24x16, .*, \+\d+ more in usage\.sightline\.images$/,
    );
    const listed = header.split(', ').length - 1;
    expect(Number(/\+(\d+) more/.exec(header)?.[1])).toBe(600 - listed);
    const usage = message.usage as unknown as { sightline: { images: Array<{ path: string }> } };
    expect(usage.sightline.images).toHaveLength(600);
    expect(usage.sightline.images[599]?.path).toBe('messages.0.content.599');
  }, 60_000);
});

describe('the Vercel AI SDK (@ai-sdk/anthropic)', () => {
  const provider = () => createAnthropic({ baseURL: `${sightline.url}/v1`, apiKey: 'sk-e2e-test' });

  it('generateText with two images', async () => {
    const result = await generateText({
      model: provider()(model),
      maxRetries: 0,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Image 1:' },
            { type: 'file', data: photo, mediaType: 'image/jpeg' },
            { type: 'text', text: 'Image 2:' },
            { type: 'file', data: wide, mediaType: 'image/png' },
            { type: 'text', text: 'How are these images different?' },
          ],
        },
      ],
    });
    expect(result.text).toContain('Measured 2 images.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(planImage(1920, 1080, standard).tokens);
  });

  it('streamText with a system prompt', async () => {
    const result = streamText({
      model: provider()(model),
      maxRetries: 0,
      system: 'Respond only in Spanish.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', data: photo, mediaType: 'image/jpeg' },
            { type: 'text', text: 'Describe.' },
          ],
        },
      ],
    });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toContain('original 290×442');
    expect(await result.finishReason).toBe('stop');
  });
});
