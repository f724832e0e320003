// What a Claude upstream receives as each image (docs/views.md): the original bytes when nothing has to
// change, a resized view in its source's format family, and never more than the platform's per-image limit
// (10 MB direct, 5 MB on Bedrock / Vertex AI).
import Anthropic from '@anthropic-ai/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE } from '../../src/catalog/index.js';
import { planImage } from '../../src/index.js';
import { noisyJpeg } from '../support/images.js';
import { startAnthropicUpstream, type Upstream } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

const MB = 1024 * 1024;
let direct: Upstream;
let bedrock: Upstream;
let sightline: TestSightline;
let client: Anthropic;

beforeAll(async () => {
  [direct, bedrock] = await Promise.all([startAnthropicUpstream(), startAnthropicUpstream()]);
  sightline = await startSightline(`
backends:
  claude: { type: anthropic, base_url: "${direct.url}", api_key: k }
  bedrock: { type: anthropic, base_url: "${bedrock.url}", api_key: k, platform: bedrock, view_format: png }
models:
  - { id: opus-on-bedrock, backend: bedrock, upstream_model: claude-opus-4-7, profile: { max_long_edge: 2576, max_tokens: 4784 } }
  - { id: "claude-*", backend: claude }
`);
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-views', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
  await Promise.all([direct?.close(), bedrock?.close()]);
});

/** Sends one image and returns the source the upstream received. */
async function send(upstream: Upstream, model: string, bytes: Buffer, mediaType: 'image/jpeg' | 'image/png') {
  await client.messages.create({
    model,
    max_tokens: 10,
    messages: [
      {
        role: 'user',
        content: [
          {
            type: 'image',
            source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') },
          },
          { type: 'text', text: 'What is this?' },
        ],
      },
    ],
  });
  const content = (
    upstream.requests.at(-1)!.body.messages as Array<{
      content: Array<{ source?: { media_type: string; data: string } }>;
    }>
  )[0]!.content;
  const source = content[0]!.source!;
  return { mediaType: source.media_type, base64: source.data, bytes: Buffer.from(source.data, 'base64') };
}

describe('views sent to a Claude upstream', { timeout: 120_000 }, () => {
  it('an image that needs no resize goes as its original bytes, not re-encoded', async () => {
    const jpeg = await noisyJpeg(800, 600);
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366cc' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const sentJpeg = await send(direct, 'claude-opus-4-7', jpeg, 'image/jpeg');
    expect(sentJpeg.mediaType).toBe('image/jpeg');
    expect(sentJpeg.bytes.equals(jpeg)).toBe(true);
    const sentPng = await send(direct, 'claude-sonnet-4-6', png, 'image/png');
    expect(sentPng.mediaType).toBe('image/png');
    expect(sentPng.bytes.equals(png)).toBe(true);
  });

  it('a 2560×1600 JPEG for Opus 4.7 stays JPEG (it used to become a multi-MB PNG)', async () => {
    const photo = await noisyJpeg(2560, 1600);
    const plan = planImage(2560, 1600, HIGH_RESOLUTION_PROFILE);
    const sent = await send(direct, 'claude-opus-4-7', photo, 'image/jpeg');
    expect(sent.mediaType).toBe('image/jpeg');
    const metadata = await sharp(sent.bytes).metadata();
    expect(metadata.format).toBe('jpeg');
    expect([metadata.width, metadata.height]).toEqual([plan.viewWidth, plan.viewHeight]);
    // the PNG of the same view, as it was sent before
    const png = await sharp(photo).resize(plan.viewWidth, plan.viewHeight, { fit: 'fill' }).png().toBuffer();
    expect(sent.bytes.length).toBeLessThan(png.length / 2);
    expect(sent.base64.length).toBeLessThanOrEqual(10 * MB);
  });

  it('on Bedrock (5 MB) a view forced to PNG that would be over the limit is re-encoded to fit', async () => {
    const photo = await noisyJpeg(4000, 3000);
    const plan = planImage(4000, 3000, HIGH_RESOLUTION_PROFILE);
    const png = await sharp(photo).resize(plan.viewWidth, plan.viewHeight, { fit: 'fill' }).png().toBuffer();
    expect(Math.ceil(png.length / 3) * 4).toBeGreaterThan(5 * MB); // what PNG alone would send
    const sent = await send(bedrock, 'opus-on-bedrock', photo, 'image/jpeg');
    expect(sent.base64.length).toBeLessThanOrEqual(5 * MB);
    const metadata = await sharp(sent.bytes).metadata();
    expect([metadata.width, metadata.height]).toEqual([plan.viewWidth, plan.viewHeight]);
    expect(`image/${metadata.format}`).toBe(sent.mediaType);
  });
});
