// Repair mode through the official SDK against a live Sightline: off by default (Claude-exact refusals),
// on per request (`sightline-repair` header) or per key; every change reported; what reaches an Anthropic
// upstream stays a valid conversation.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxImageBytesFor } from '../../src/imaging/index.js';
import type { MessagesRequest, RepairReport } from '../../src/wire/index.js';
import { desktopScreenshot, halves } from '../support/images.js';
import { rejectionBy } from '../support/thrown.js';
import { startAnthropicUpstream, type Upstream } from '../support/upstreams.js';
import { invokeCli } from './support/cli.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let upstream: Upstream;
let client: Anthropic;
let repairingClient: Anthropic;
// a 200k-context model (100 images per request) on a loopback Anthropic upstream that reports no input
// count, so usage is Sightline's own count, the one count_tokens gives
const model = 'session-model';

type Block = Anthropic.ImageBlockParam;
const image = (bytes: Buffer, mediaType: string): Block =>
  ({
    type: 'image',
    source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') },
  }) as Block;

const ask = (blocks: Anthropic.ContentBlockParam[]) => ({
  model,
  max_tokens: 64,
  messages: [
    { role: 'user' as const, content: [...blocks, { type: 'text' as const, text: 'What is this?' }] },
  ],
});

const repairHeader = (kinds: string) => ({ headers: { 'sightline-repair': kinds } });

const refusal = (promise: Promise<unknown>): Promise<APIError> => rejectionBy(promise, APIError);

/** The envelope's message, as a user reads it. */
const messageOf = (error: APIError): string =>
  (error.error as { error?: { message?: string } } | undefined)?.error?.message ?? '';

const repairsOf = (message: Anthropic.Message): RepairReport[] =>
  (message.usage as unknown as { sightline?: { repairs?: RepairReport[] } }).sightline?.repairs ?? [];

/** White noise JPEG over `bytes` of base64: no quality step of the same size keeps it under. */
async function noisyJpegOver(bytes: number): Promise<Buffer> {
  for (let side = 1200; ; side = Math.ceil(side * 1.2)) {
    const raw = Buffer.alloc(side * side * 3);
    let seed = side;
    for (let index = 0; index < raw.length; index += 1) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      raw[index] = seed >> 16;
    }
    const jpeg = await sharp(raw, { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    if (Math.ceil(jpeg.length / 3) * 4 > bytes) return jpeg;
  }
}

beforeAll(async () => {
  upstream = await startAnthropicUpstream();
  upstream.reply.inputTokens = null;
  // a 100-screenshot request renders 100 views at once against the server's image budget and waits for its
  // own renders: on 2 shared cores that takes longer than the default 2 s wait (a known interaction)
  sightline = await startSightline(`
server: { image_budget_wait_ms: 120000 }
api_keys:
  - { key: sk-plain, workspace: plain }
  - { key: sk-repairs, workspace: repairs, repair: { images: true } }
backends:
  claude: { type: anthropic, base_url: "${upstream.url}", api_key: upstream-key, pre_resize: false }
models:
  - { id: session-model, backend: claude, context_window: 200000, profile: { max_long_edge: 1568, max_tokens: 1568 } }
`);
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-plain', maxRetries: 0 });
  repairingClient = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-repairs', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
  await upstream?.close();
});

describe('image repair', () => {
  it('a side over 8000 px: refused by default, downscaled to fit with repair on', async () => {
    const tall = await halves(600, 9000, [250, 250, 250], [10, 10, 10]);
    const error = await refusal(client.messages.create(ask([image(tall, 'image/png')])));
    expect(error.status).toBe(400);
    expect(messageOf(error)).toContain(
      'messages.0.content.0.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    const { data: message, response } = await client.messages
      .create(ask([image(tall, 'image/png')]), repairHeader('images'))
      .withResponse();
    const [repair] = repairsOf(message);
    expect(repair).toMatchObject({
      path: 'messages.0.content.0',
      action: 'downscaled',
      before: { width: 600, height: 9000, media_type: 'image/png' },
      after: { width: 533, height: 8000, media_type: 'image/png' },
    });
    expect(response.headers.get('sightline-repairs')).toMatch(
      /^messages\.0\.content\.0 downscaled 600x9000 image\/png \d+B>533x8000 image\/png \d+B$/,
    );
    // the rest of the pipeline sees the repaired image: it is what gets scaled and counted
    expect(response.headers.get('sightline-image-scales')).toMatch(/^messages\.0\.content\.0=533x8000>/);
  });

  it('over the byte limit: re-encoded until it fits', async () => {
    const limit = maxImageBytesFor('2026-09'); // the server's rules (the default): 10 MB per image
    const heavy = await noisyJpegOver(limit);
    const { width, height } = await sharp(heavy).metadata();
    const error = await refusal(client.messages.create(ask([image(heavy, 'image/jpeg')])));
    expect(messageOf(error)).toContain('image exceeds 10 MB maximum');
    const message = await client.messages.create(ask([image(heavy, 'image/jpeg')]), repairHeader('images'));
    const [repair] = repairsOf(message);
    expect(repair!.before).toMatchObject({ width, height, bytes: Math.ceil(heavy.length / 3) * 4 });
    expect(repair!.before.bytes).toBeGreaterThan(limit);
    expect(repair!.after!.bytes).toBeLessThanOrEqual(limit);
    expect(repair!.after!.media_type).toBe('image/jpeg');
    expect(['re_encoded', 'downscaled']).toContain(repair!.action);
  });

  it('a declared media type that does not match the bytes is corrected', async () => {
    const png = await halves(300, 200, [0, 0, 0], [255, 255, 255]);
    const error = await refusal(client.messages.create(ask([image(png, 'image/jpeg')])));
    expect(messageOf(error)).toBe(
      'messages.0.content.0.image.source.base64: The image was specified using the image/jpeg media type, but the image appears to be a image/png image',
    );
    const message = await client.messages.create(ask([image(png, 'image/jpeg')]), repairHeader('images'));
    expect(repairsOf(message)).toEqual([
      {
        path: 'messages.0.content.0',
        action: 'media_type_corrected',
        reason: 'declared image/jpeg, the bytes are image/png',
        before: { width: 300, height: 200, media_type: 'image/jpeg', bytes: Math.ceil(png.length / 3) * 4 },
        after: { width: 300, height: 200, media_type: 'image/png', bytes: Math.ceil(png.length / 3) * 4 },
      },
    ]);
  });

  it('an unreadable image is refused as without repair (repair never guesses content)', async () => {
    const garbage = Buffer.from('this is not an image at all, just text bytes');
    for (const options of [undefined, repairHeader('images,history')]) {
      const error = await refusal(client.messages.create(ask([image(garbage, 'image/png')]), options));
      expect([error.status, messageOf(error)]).toEqual([400, 'Could not process image']);
    }
    const truncated = (await halves(9000, 100, [1, 2, 3], [4, 5, 6])).subarray(0, 200);
    const error = await refusal(
      client.messages.create(ask([image(truncated, 'image/png')]), repairHeader('images')),
    );
    expect(messageOf(error)).toContain(
      'At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
  });

  it('over 2000 px in a request of more than 20 images: downscaled to 2000 px', async () => {
    const small = await halves(64, 64, [9, 9, 9], [200, 200, 200]);
    const wide = await halves(2400, 600, [200, 0, 0], [0, 0, 200]);
    const blocks = [image(wide, 'image/png'), ...Array.from({ length: 20 }, () => image(small, 'image/png'))];
    const error = await refusal(client.messages.create(ask(blocks)));
    expect(messageOf(error)).toContain('exceed max allowed size for many-image requests: 2000 pixels');
    const message = await client.messages.create(ask(blocks), repairHeader('images'));
    expect(repairsOf(message)).toEqual([
      expect.objectContaining({
        path: 'messages.0.content.0',
        action: 'downscaled',
        reason: 'over 2000 px in a request of more than 20 images',
        after: expect.objectContaining({ width: 2000, height: 500 }),
      }),
    ]);
  });

  it('per key: a key configured with repair.images repairs without the header; `none` turns it off', async () => {
    const tall = await halves(100, 8100, [250, 250, 250], [10, 10, 10]);
    const message = await repairingClient.messages.create(ask([image(tall, 'image/png')]));
    expect(repairsOf(message)[0]).toMatchObject({ action: 'downscaled' });
    const error = await refusal(
      repairingClient.messages.create(ask([image(tall, 'image/png')]), repairHeader('none')),
    );
    expect(error.status).toBe(400);
  });

  it('an unknown repair kind in the header is a 400', async () => {
    const png = await halves(30, 20, [0, 0, 0], [255, 255, 255]);
    const error = await refusal(
      client.messages.create(ask([image(png, 'image/png')]), repairHeader('pixels')),
    );
    expect([error.status, messageOf(error)]).toEqual([
      400,
      'sightline-repair: "pixels" is not a repair kind; use images, history (comma-separated) or none',
    ]);
  });

  it("count_tokens reports what the repaired request costs: the same as the answer's usage", async () => {
    const tall = await halves(600, 9000, [250, 250, 250], [10, 10, 10]);
    const body = ask([image(tall, 'image/png')]);
    const { data: counted, response } = await client.messages
      .countTokens({ model, messages: body.messages }, repairHeader('images'))
      .withResponse();
    expect(response.headers.get('sightline-repairs')).toContain('downscaled 600x9000');
    const message = await client.messages.create(body, repairHeader('images'));
    expect(counted.input_tokens).toBe(message.usage.input_tokens);
  });
});

describe('the CLI', () => {
  it('messages create --repair images prints each change on stderr, the message on stdout', async () => {
    const tall = await halves(600, 9000, [250, 250, 250], [10, 10, 10]);
    const body = JSON.stringify(ask([image(tall, 'image/png')]));
    const env = { ANTHROPIC_BASE_URL: sightline.url, ANTHROPIC_API_KEY: 'sk-plain' };
    const repaired = await invokeCli(['messages', 'create', '--repair', 'images'], {
      stdin: body,
      env,
      cwd: '/',
    });
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).toMatch(
      /^sightline: repaired messages\.0\.content\.0 downscaled 600x9000 image\/png \d+B>533x8000 image\/png \d+B\n$/,
    );
    expect(JSON.parse(repaired.stdout).usage.sightline.repairs).toHaveLength(1);
    const refused = await invokeCli(['messages', 'create'], { stdin: body, env, cwd: '/' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('exceed max allowed size: 8000 pixels');
  });
});

/** An agent session: a task, then `turns` × (screenshot action, tool_result with a screenshot). */
async function session(turns: number, detail: number, format: 'png' | 'jpeg') {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Book the 9:40 train.' }];
  for (let turn = 1; turn <= turns; turn += 1) {
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `toolu_${turn}`, name: 'computer', input: { action: 'screenshot' } }],
    });
    const shot = await desktopScreenshot(turn, { detail, format });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: `toolu_${turn}`,
          content: [image(shot, `image/${format}`) as Anthropic.ImageBlockParam],
        },
      ],
    });
  }
  return messages;
}

describe('history repair: a 150-turn session of 1920×1080 screenshots', () => {
  let light: Anthropic.MessageParam[]; // PNG screenshots, ~20 MB in all
  let heavy: Anthropic.MessageParam[]; // JPEG screenshots, ~58 MB in all

  beforeAll(async () => {
    light = await session(150, 0.1, 'png');
    heavy = await session(150, 0.3, 'jpeg');
  }, 120_000);

  const tools = [
    { name: 'computer', description: 'Use the screen', input_schema: { type: 'object' as const } },
  ];

  it('refused as Claude refuses it with repair off: too many images, or too large', async () => {
    const many = await refusal(client.messages.create({ model, max_tokens: 64, tools, messages: light }));
    expect([many.status, messageOf(many)]).toEqual([
      400,
      'Too much media: 0 document pages + 150 images > 100',
    ]);
    const large = await refusal(client.messages.create({ model, max_tokens: 64, tools, messages: heavy }));
    expect(large.status).toBe(413);
    expect((large.error as { error: { type: string } }).error.type).toBe('request_too_large');
  });

  it('accepted with history repair: the oldest 50 screenshots omitted, and count_tokens equals usage', {
    timeout: 300_000,
  }, async () => {
    const body = { model, max_tokens: 64, tools, messages: light };
    const { data: message, response } = await client.messages
      .create(body, repairHeader('history'))
      .withResponse();
    const repairs = repairsOf(message);
    expect(repairs).toHaveLength(50);
    expect(repairs.every((repair) => repair.action === 'omitted')).toBe(true);
    expect(repairs[0]).toMatchObject({
      path: 'messages.2.content.0.tool_result.content.0',
      reason: 'more than 100 images in one request',
      before: { width: 1920, height: 1080, media_type: 'image/png' },
      after: null,
    });
    expect(repairs.at(-1)!.path).toBe('messages.100.content.0.tool_result.content.0');
    expect(response.headers.get('sightline-repairs')!.length).toBeLessThanOrEqual(2048);
    expect(response.headers.get('sightline-repairs')).toMatch(/\.\.\. \+\d+ more$/);
    const counted = await client.messages.countTokens(
      { model, tools, messages: light },
      repairHeader('history'),
    );
    expect(counted.input_tokens).toBe(message.usage.input_tokens);
  });

  it('over 32 MB: older screenshots shrunk, then omitted; the upstream gets a valid conversation', {
    timeout: 300_000,
  }, async () => {
    const { data: message, response } = await client.messages
      .create({ model, max_tokens: 64, tools, messages: heavy }, repairHeader('history'))
      .withResponse();
    expect(response.status).toBe(200);
    const repairs = repairsOf(message);
    const omitted = repairs.filter((repair) => repair.action === 'omitted');
    const shrunk = repairs.filter((repair) => repair.action === 'shrunk');
    expect(omitted.length).toBeGreaterThanOrEqual(50);
    expect(shrunk.length).toBeGreaterThan(0);
    for (const repair of shrunk) {
      expect(repair.reason).toBe('request over 33554432 bytes');
      expect(repair.after).toMatchObject({ width: 1456, height: 819, media_type: 'image/jpeg' });
      expect(repair.after!.bytes).toBeLessThan(repair.before.bytes);
    }

    const sent = upstream.requests.at(-1)!.body as unknown as MessagesRequest;
    expect(Buffer.byteLength(JSON.stringify(sent))).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(sent.messages).toHaveLength(heavy.length);
    // every tool_use still answered by its tool_result in the next turn, in the same order
    for (let index = 1; index < sent.messages.length; index += 2) {
      const use = (sent.messages[index]!.content as Array<{ type: string; id: string }>)[0]!;
      const result = (sent.messages[index + 1]!.content as Array<{ type: string; tool_use_id: string }>)[0]!;
      expect([use.type, result.type, result.tool_use_id]).toEqual(['tool_use', 'tool_result', use.id]);
    }
    const contentOf = (turn: number) =>
      (sent.messages[turn]!.content as Array<{ content: Array<{ type: string; text?: string }> }>)[0]!
        .content[0]!;
    expect(contentOf(2)).toEqual({
      type: 'text',
      text: '[image omitted by Sightline: 1920×1080 screenshot from turn 2]',
    });
    // nothing of the last turn, nor the 3 most recent screenshots, is touched
    const touched = new Set(repairs.map((repair) => repair.path));
    for (const turn of [296, 298, 300])
      expect(touched.has(`messages.${turn}.content.0.tool_result.content.0`)).toBe(false);
    const last = (heavy.at(-1)!.content as Anthropic.ToolResultBlockParam[])[0]!;
    const lastSent = (sent.messages.at(-1)!.content as Anthropic.ToolResultBlockParam[])[0]!;
    expect(lastSent.tool_use_id).toBe(last.tool_use_id);
    expect(contentOf(300)).toMatchObject({ type: 'image' });
    void lastSent;
  });
});
