// End-to-end tests of the offline engine through its public entry, with prepared images built by sharp.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageBlockParam, MessageParam, MessagesRequest } from '../../wire/index.js';
import type { BackendEvent, BackendRequest, PreparedImage } from '../types.js';
import { createLocalBackend, HONESTY_LINE } from './index.js';

const TEXT = 'HELLO SIGHTLINE 2026';
const TEXT_LEFT = 40;
const TEXT_TOP = 60;

function imageBlock(): ImageBlockParam {
  return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } };
}

/** Builds a PreparedImage as the server would: the view padded right/bottom (black) to multiples of 28. */
async function prepare(
  block: ImageBlockParam,
  path: string,
  content: Buffer,
  original?: { width: number; height: number },
): Promise<PreparedImage> {
  const { width = 0, height = 0 } = await sharp(content).metadata();
  const canvasWidth = Math.ceil(width / 28) * 28;
  const canvasHeight = Math.ceil(height / 28) * 28;
  const view = await sharp(content)
    .extend({
      right: canvasWidth - width,
      bottom: canvasHeight - height,
      background: { r: 0, g: 0, b: 0, alpha: 1 },
    })
    .png()
    .toBuffer();
  return {
    path,
    block,
    original: {
      bytes: content,
      mediaType: 'image/png',
      width: original?.width ?? width,
      height: original?.height ?? height,
    },
    view: {
      data: view,
      mediaType: 'image/png',
      width: canvasWidth,
      height: canvasHeight,
      contentWidth: width,
      contentHeight: height,
    },
    tokens: Math.ceil((width * height) / 750),
  };
}

function solid(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** Black text on a white 800×200 canvas; returns the PNG and where the glyphs were drawn. */
async function textImage(): Promise<{
  png: Buffer;
  region: { x0: number; y0: number; x1: number; y1: number };
}> {
  const rendered = await sharp({ text: { text: TEXT, font: 'sans', dpi: 300 } })
    .png()
    .toBuffer();
  const { width = 0, height = 0 } = await sharp(rendered).metadata();
  const blackOnWhite = await sharp(rendered).negate({ alpha: false }).png().toBuffer();
  const png = await sharp({ create: { width: 800, height: 200, channels: 3, background: '#ffffff' } })
    .composite([{ input: blackOnWhite, left: TEXT_LEFT, top: TEXT_TOP }])
    .png()
    .toBuffer();
  return { png, region: { x0: TEXT_LEFT, y0: TEXT_TOP, x1: TEXT_LEFT + width, y1: TEXT_TOP + height } };
}

function request(
  messages: MessageParam[],
  images: PreparedImage[],
  options: Partial<Pick<MessagesRequest, 'max_tokens' | 'stop_sequences'>> & { signal?: AbortSignal } = {},
): BackendRequest {
  const body: MessagesRequest = {
    model: 'sightline-local',
    max_tokens: options.max_tokens ?? 4096,
    messages,
  };
  if (options.stop_sequences !== undefined) body.stop_sequences = options.stop_sequences;
  return {
    body,
    upstreamModel: 'local',
    images: new Map(images.map((image) => [image.block, image])),
    inputTokens: 123,
    signal: options.signal ?? new AbortController().signal,
  };
}

async function collect(
  events: AsyncIterable<BackendEvent>,
): Promise<{ text: string; events: BackendEvent[] }> {
  const all: BackendEvent[] = [];
  for await (const event of events) all.push(event);
  const text = all.map((event) => (event.type === 'text_delta' ? event.text : '')).join('');
  return { text, events: all };
}

function endOf(events: BackendEvent[]): Extract<BackendEvent, { type: 'end' }> {
  const last = events[events.length - 1];
  if (last?.type !== 'end') throw new Error('the last event is not `end`');
  expect(events.filter((event) => event.type === 'end')).toHaveLength(1);
  return last;
}

const withOcr = createLocalBackend({ measuresCacheSize: 0 });
const withoutOcr = createLocalBackend({ ocr: false });
afterAll(async () => {
  await withOcr.close?.();
  await withoutOcr.close?.();
});

describe('local backend, measurements (OCR off)', () => {
  it('reports format, sizes, tokens, brightness and the dominant colour of a red image', async () => {
    const block = imageBlock();
    const red = await prepare(block, 'messages.0.content.0', await solid(400, 300, '#ff0000'));
    const { text, events } = await collect(
      withoutOcr.generate(
        request([{ role: 'user', content: [block, { type: 'text', text: 'What is this?' }] }], [red]),
      ),
    );
    expect(text).toContain('Image 1 (messages.0.content.0)');
    expect(text).toContain('- Format: PNG, original 400×300');
    expect(text).toContain('- Model view: 400×300 on a 420×308 padded canvas (scale 1), 160 tokens');
    expect(text).toContain('- Brightness: mean luma 76 of 255 (dark)');
    expect(text).toContain('- Dominant colours: #ff0000 red 100%');
    expect(text).toContain('OCR is switched off');
    expect(text).not.toContain('Image 2');
    expect(text.trimEnd().endsWith(HONESTY_LINE)).toBe(true);
    const end = endOf(events);
    expect(end).toEqual({ type: 'end', stopReason: 'end_turn', stopSequence: null, usage: end.usage });
    expect(end.usage.outputTokens).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'text_delta').length).toBeGreaterThan(5); // streamed by line
  });

  it('tells dark from bright and compares two images', async () => {
    const first = imageBlock();
    const second = imageBlock();
    const dark = await prepare(first, 'messages.0.content.0', await solid(200, 200, '#101010'));
    const bright = await prepare(second, 'messages.0.content.1', await solid(300, 100, '#f0f0f0'));
    const { text } = await collect(
      withoutOcr.generate(request([{ role: 'user', content: [first, second] }], [dark, bright])),
    );
    expect(text).toMatch(/Image 1 \(messages\.0\.content\.0\)[\s\S]*mean luma 16 of 255 \(dark\)/);
    expect(text).toMatch(/Image 2 \(messages\.0\.content\.1\)[\s\S]*mean luma 240 of 255 \(bright\)/);
    expect(text).toContain('#101010 black 100%');
    expect(text).toContain('#f0f0f0 white 100%');
    expect(text).toContain('Comparison');
    expect(text).toContain(
      '- Size: different (original → model view: Image 1 200×200 → 200×200; Image 2 300×100 → 300×100)',
    );
    expect(text).toContain('Image 1 vs Image 2: 87.8%');
    expect(text).toContain('- Brightness: Image 2 is brighter (mean luma 240 vs 16)');
  });

  it('finds images in every turn and inside tool_result content, in order', async () => {
    const first = imageBlock();
    const nested = imageBlock();
    const images = [
      await prepare(first, 'messages.0.content.0', await solid(56, 56, '#0000ff')),
      await prepare(nested, 'messages.2.content.0.content.1', await solid(84, 28, '#00ff00')),
    ];
    const messages: MessageParam[] = [
      { role: 'user', content: [first, { type: 'text', text: 'Take a screenshot' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'screenshot', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'done' }, nested] },
        ],
      },
    ];
    const { text } = await collect(withoutOcr.generate(request(messages, images)));
    expect(text).toContain('Measured 2 images.');
    expect(text).toMatch(/Image 1 \(messages\.0\.content\.0\)[\s\S]*#0000ff blue 100%/);
    expect(text).toMatch(/Image 2 \(messages\.2\.content\.0\.content\.1\)[\s\S]*#00ff00 green 100%/);
    expect(text.indexOf('Image 1 (')).toBeLessThan(text.indexOf('Image 2 ('));
  });

  it('reports the scale of a downsized view and an image the server did not prepare', async () => {
    const block = imageBlock();
    const missing = imageBlock();
    const scaled = await prepare(block, 'messages.0.content.0', await solid(784, 392, '#808080'), {
      width: 1568,
      height: 784,
    });
    const { text } = await collect(
      withoutOcr.generate(request([{ role: 'user', content: [block, missing] }], [scaled])),
    );
    expect(text).toContain('- Format: PNG, original 1568×784');
    expect(text).toContain('- Model view: 784×392 on a 784×392 padded canvas (scale 0.5), 410 tokens');
    expect(text).toContain('Image 2\n- Not measured: the server prepared no view for it.');
  });

  it('compares an image with itself, resent in a later turn', async () => {
    const first = imageBlock();
    const again = imageBlock();
    const png = await solid(120, 80, '#336699');
    const images = [
      await prepare(first, 'messages.0.content.0', png),
      await prepare(again, 'messages.2.content.0', png),
    ];
    const messages: MessageParam[] = [
      { role: 'user', content: [first] },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: [again] },
    ];
    const { text } = await collect(withoutOcr.generate(request(messages, images)));
    expect(text).toContain('- Size: the same (120×80 original, 120×80 model view)');
    expect(text).toContain('Image 1 vs Image 2: 0%');
    expect(text).toContain('- Brightness: equally bright (mean luma 93)');
  });

  it('says so when the OCR data is unusable, and still measures', async () => {
    const broken = createLocalBackend({ ocrLanguagePath: '/nonexistent/tessdata' });
    const block = imageBlock();
    const image = await prepare(block, 'messages.0.content.0', await solid(100, 100, '#ffffff'));
    const { text } = await collect(broken.generate(request([{ role: 'user', content: [block] }], [image])));
    await broken.close?.();
    expect(text).toContain(
      '- Text: could not be read (OCR failed: no eng.traineddata(.gz) in /nonexistent/tessdata).',
    );
    expect(text).toContain('#ffffff white 100%');
  });

  it('answers a request without images honestly, echoing its input tokens', async () => {
    const { text, events } = await collect(
      withoutOcr.generate(request([{ role: 'user', content: 'Hello, how are you?' }], [])),
    );
    expect(text).toContain("This is Sightline's built-in offline engine.");
    expect(text).toContain('no images');
    expect(text).toContain('about 123 input tokens');
    expect(endOf(events).stopReason).toBe('end_turn');
  });

  it('stops at max_tokens, and yields nothing for max_tokens 0', async () => {
    const block = imageBlock();
    const image = await prepare(block, 'messages.0.content.0', await solid(100, 100, '#ffffff'));
    const messages: MessageParam[] = [{ role: 'user', content: [block] }];
    const full = await collect(withoutOcr.generate(request(messages, [image])));
    const limited = await collect(withoutOcr.generate(request(messages, [image], { max_tokens: 10 })));
    const limitedEnd = endOf(limited.events);
    expect(limitedEnd.stopReason).toBe('max_tokens');
    expect(limitedEnd.usage.outputTokens).toBeLessThanOrEqual(10);
    expect(limited.text.length).toBeGreaterThan(0);
    expect(full.text.startsWith(limited.text)).toBe(true);

    const none = await collect(withoutOcr.generate(request(messages, [image], { max_tokens: 0 })));
    expect(none.events).toEqual([
      { type: 'start' },
      { type: 'end', stopReason: 'max_tokens', stopSequence: null, usage: { outputTokens: 0 } },
    ]);
  });

  it('stops before the first stop sequence', async () => {
    const block = imageBlock();
    const image = await prepare(block, 'messages.0.content.0', await solid(100, 100, '#ffffff'));
    const { text, events } = await collect(
      withoutOcr.generate(
        request([{ role: 'user', content: [block] }], [image], {
          stop_sequences: ['Configure', 'Brightness'],
        }),
      ),
    );
    expect(text).toContain('- Model view:');
    expect(text).not.toContain('Brightness');
    expect(text.endsWith('- ')).toBe(true);
    const end = endOf(events);
    expect(end.stopReason).toBe('stop_sequence');
    expect(end.stopSequence).toBe('Brightness');
  });

  it('stops when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const block = imageBlock();
    const image = await prepare(block, 'messages.0.content.0', await solid(100, 100, '#ffffff'));
    await expect(
      collect(
        withoutOcr.generate(
          request([{ role: 'user', content: [block] }], [image], { signal: controller.signal }),
        ),
      ),
    ).rejects.toThrow();
  });
});

describe('local backend, OCR', () => {
  it('reads text with boxes in model-view pixels, says when there is none, compares, and is deterministic', async () => {
    const first = imageBlock();
    const second = imageBlock();
    const { png, region } = await textImage();
    const images = [
      await prepare(first, 'messages.0.content.0', await solid(400, 300, '#ff0000')),
      await prepare(second, 'messages.0.content.1', png),
    ];
    const body = request(
      [{ role: 'user', content: [first, second, { type: 'text', text: 'Compare.' }] }],
      images,
    );

    const started = performance.now();
    const { text, events } = await collect(withOcr.generate(body));
    const firstRunMilliseconds = performance.now() - started;
    const again = await collect(withOcr.generate(body)); // cache is off: measured and read again
    expect(again.text).toBe(text);
    expect(firstRunMilliseconds).toBeLessThan(20_000);

    const [imageOne = '', imageTwo = ''] = text.split(/\n\n(?=Image \d)/).slice(1);
    expect(imageOne).toContain('- Text (OCR): No text found.');
    expect(imageTwo).toContain('- Model view: 800×200 on a 812×224 padded canvas (scale 1), 214 tokens');
    expect(imageTwo).toContain('(bright)');
    expect(imageTwo).toMatch(/#ffffff white \d+%/);

    const line = imageTwo.match(/ {2}- "([^"]+)" at (\d+),(\d+),(\d+),(\d+) \(confidence (\d+)%\)/);
    expect(line?.[1]).toBe(TEXT);
    const [x0, y0, x1, y1, confidence] = (line ?? []).slice(2).map(Number);
    const tolerance = 4;
    expect(x0).toBeGreaterThanOrEqual(region.x0 - tolerance);
    expect(y0).toBeGreaterThanOrEqual(region.y0 - tolerance);
    expect(x1).toBeLessThanOrEqual(region.x1 + tolerance);
    expect(y1).toBeLessThanOrEqual(region.y1 + tolerance);
    expect(x1).toBeGreaterThan(region.x0 + (region.x1 - region.x0) / 2);
    expect(confidence).toBeGreaterThanOrEqual(40);

    expect(text).toContain('Comparison');
    expect(text).toContain('- Text shared by all: none');
    expect(text).toContain('- Text only in Image 2: HELLO, SIGHTLINE, 2026');
    expect(text).toContain('- Brightness: Image 2 is brighter');
    expect(text).toContain(HONESTY_LINE);
    expect(endOf(events).stopReason).toBe('end_turn');
  });
});
