// End-to-end tests of the offline engine through its public entry, with prepared images built by sharp.
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalBackend, HONESTY_LINE } from '../../../../src/backends/local/index.js';
import { normaliseMessagesRequest } from '../../../../src/backends/prompt/index.js';
import type { BackendEvent, BackendRequest, PreparedImage } from '../../../../src/backends/types.js';
import { ApiError, RequestCancelledError } from '../../../../src/errors/index.js';
import type { ImageBlockParam, MessageParam, MessagesRequest } from '../../../../src/wire/index.js';
import { fixture, terminalScreenshot } from '../../../support/images.js';

const TEXT = 'HELLO SIGHTLINE 2026';
const TEXT_LEFT = 40;
const TEXT_TOP = 60;

function imageBlock(): ImageBlockParam {
  return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } };
}

/** Builds a PreparedImage as the server would: the view padded right/bottom (black) to multiples of 28. */
async function prepare(
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

/** Black text on white, with 40 px margins (sharp negates after extending: two steps). */
async function proseImage(text: string): Promise<Buffer> {
  const rendered = await sharp({ text: { text, font: 'sans 20', dpi: 72 } })
    .negate({ alpha: false })
    .png()
    .toBuffer();
  return sharp(rendered)
    .extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' })
    .png()
    .toBuffer();
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
    ...normaliseMessagesRequest(body, images),
    upstreamModel: 'local',
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
    const red = await prepare('messages.0.content.0', await solid(400, 300, '#ff0000'));
    const { text, events } = await collect(
      withoutOcr.generate(
        request([{ role: 'user', content: [block, { type: 'text', text: 'What is this?' }] }], [red]),
      ),
    );
    expect(text).toContain(
      'Image 1 (messages.0.content.0): PNG, original 400×300. ' +
        'Model view: 400×300 on a 420×308 padded canvas (scale 1), 160 tokens. ' +
        'Brightness: dark (mean luma 76 of 255). Colours: #ff0000 red 100%.\n',
    );
    expect(text).toContain('Text in Image 1: not read (OCR is switched off).');
    expect(text).not.toContain('Image 2');
    expect(text.trimEnd().endsWith(HONESTY_LINE)).toBe(true);
    const end = endOf(events);
    expect(end).toEqual({ type: 'end', stopReason: 'end_turn', stopSequence: null, usage: end.usage });
    expect(end.usage.outputTokens).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'text_delta').length).toBeGreaterThan(4); // streamed by line
  });

  it('tells dark from bright and compares two images', async () => {
    const first = imageBlock();
    const second = imageBlock();
    const dark = await prepare('messages.0.content.0', await solid(200, 200, '#101010'));
    const bright = await prepare('messages.0.content.1', await solid(300, 100, '#f0f0f0'));
    const { text } = await collect(
      withoutOcr.generate(request([{ role: 'user', content: [first, second] }], [dark, bright])),
    );
    expect(text).toMatch(/Image 1 \(messages\.0\.content\.0\):.*Brightness: dark \(mean luma 16 of 255\)/);
    expect(text).toMatch(/Image 2 \(messages\.0\.content\.1\):.*Brightness: bright \(mean luma 240 of 255\)/);
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
      await prepare('messages.0.content.0', await solid(56, 56, '#0000ff')),
      await prepare('messages.2.content.0.tool_result.content.1', await solid(84, 28, '#00ff00')),
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
    expect(text).toMatch(
      /Image 2 \(messages\.2\.content\.0\.tool_result\.content\.1\)[\s\S]*#00ff00 green 100%/,
    );
    expect(text.indexOf('Image 1 (')).toBeLessThan(text.indexOf('Image 2 ('));
  });

  // An image block without a prepared image cannot reach a backend: normaliseMessagesRequest refuses it.
  it('reports the scale of a downsized view', async () => {
    const block = imageBlock();
    const scaled = await prepare('messages.0.content.0', await solid(784, 392, '#808080'), {
      width: 1568,
      height: 784,
    });
    const { text } = await collect(
      withoutOcr.generate(request([{ role: 'user', content: [block] }], [scaled])),
    );
    expect(text).toContain(': PNG, original 1568×784. ');
    expect(text).toContain('Model view: 784×392 on a 784×392 padded canvas (scale 0.5), 410 tokens.');
  });

  it('compares an image with itself, resent in a later turn', async () => {
    const first = imageBlock();
    const again = imageBlock();
    const png = await solid(120, 80, '#336699');
    const images = [await prepare('messages.0.content.0', png), await prepare('messages.2.content.0', png)];
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
    const image = await prepare('messages.0.content.0', await solid(100, 100, '#ffffff'));
    const { text } = await collect(broken.generate(request([{ role: 'user', content: [block] }], [image])));
    await broken.close?.();
    expect(text).toContain(
      'Text in Image 1: could not be read (OCR failed: no eng.traineddata(.gz) in /nonexistent/tessdata).',
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
    const image = await prepare('messages.0.content.0', await solid(100, 100, '#ffffff'));
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
    const image = await prepare('messages.0.content.0', await solid(100, 100, '#ffffff'));
    const { text, events } = await collect(
      withoutOcr.generate(
        request([{ role: 'user', content: [block] }], [image], {
          stop_sequences: ['Configure', 'Brightness'],
        }),
      ),
    );
    expect(text).toContain('Model view:');
    expect(text).not.toContain('Brightness');
    expect(text.endsWith('14 tokens. ')).toBe(true);
    const end = endOf(events);
    expect(end.stopReason).toBe('stop_sequence');
    expect(end.stopSequence).toBe('Brightness');
  });

  it('stops when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const block = imageBlock();
    const image = await prepare('messages.0.content.0', await solid(100, 100, '#ffffff'));
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
  it('streams a line per image before any text, reads text, says when there is none, compares, deterministically', {
    timeout: 120_000,
  }, async () => {
    const first = imageBlock();
    const second = imageBlock();
    const { png } = await textImage();
    const images = [
      await prepare('messages.0.content.0', await solid(400, 300, '#ff0000')),
      await prepare('messages.0.content.1', png),
    ];
    const body = request(
      [{ role: 'user', content: [first, second, { type: 'text', text: 'Compare.' }] }],
      images,
    );

    const { text, events } = await collect(withOcr.generate(body));
    const again = await collect(withOcr.generate(body)); // cache is off: measured and read again
    expect(again.text).toBe(text);

    const deltas = events.flatMap((event) => (event.type === 'text_delta' ? [event.text] : []));
    expect(deltas.slice(0, 4)).toEqual([
      'Measured 2 images.\n',
      '\n',
      expect.stringMatching(/^Image 1 \(messages\.0\.content\.0\): PNG, original 400×300\. .*\n$/),
      expect.stringMatching(
        /^Image 2 \(messages\.0\.content\.1\): PNG, original 800×200\. Model view: 800×200 on a 812×224 padded canvas \(scale 1\), 214 tokens\. Brightness: bright .*#ffffff white \d+%.*\n$/,
      ),
    ]);
    expect(text).toContain('\n\nText in Image 1 (OCR): none found.\n');
    expect(text).toMatch(new RegExp(`\n\nText in Image 2 \\(OCR, 1 line, confidence \\d+%\\):\n${TEXT}\n`));
    expect(text).toContain('Comparison');
    expect(text).toContain('- Text shared by all: none');
    expect(text).toContain('- Text only in Image 2: HELLO, SIGHTLINE, 2026');
    expect(text).toContain('- Brightness: Image 2 is brighter');
    expect(text.endsWith(`\n\n${HONESTY_LINE}`)).toBe(true);
    expect(endOf(events).stopReason).toBe('end_turn');
  });

  it('answers text as paragraphs: a blank line where the image has one, lines kept', {
    timeout: 120_000,
  }, async () => {
    const block = imageBlock();
    const png = await proseImage(
      'The built-in engine measures images\nand reads the text in them.\n\nIt cannot describe scenes or\nrecognise objects or people.',
    );
    const image = await prepare('messages.0.content.0', png);
    const { text } = await collect(withOcr.generate(request([{ role: 'user', content: [block] }], [image])));
    expect(text).toMatch(
      /Text in Image 1 \(OCR, 4 lines, confidence [\d–]+%\):\nThe built-in engine measures images\nand reads the text in them\.\n\nIt cannot describe scenes or\nrecognise objects or people\.\n/,
    );
  });

  it('drops the noise Tesseract reads into a photo, and keeps a caption above one', {
    timeout: 120_000,
  }, async () => {
    const photo = fixture('libvips/rotation/1.jpg'); // Tesseract reads "oft bhi right" (52 %) in it
    const block = imageBlock();
    const image = await prepare('messages.0.content.0', await sharp(photo).png().toBuffer());
    const { text } = await collect(withOcr.generate(request([{ role: 'user', content: [block] }], [image])));
    expect(text).toMatch(/Text in Image 1 \(OCR\): none found \(\d+ low-confidence fragments dropped\)\./);

    // a photo under a caption, as on a web page: the caption is read, the photo adds nothing
    const caption = await sharp({ text: { text: 'SIGHTLINE TEST PHOTO', font: 'sans 22', dpi: 72 } })
      .negate({ alpha: false })
      .png()
      .toBuffer();
    const captioned = await sharp(fixture('libvips/sample.jpg'))
      .extend({ top: 80, left: 40, right: 40, bottom: 20, background: '#ffffff' })
      .composite([{ input: caption, left: 40, top: 30 }])
      .png()
      .toBuffer();
    const captionBlock = imageBlock();
    const captionImage = await prepare('messages.0.content.0', captioned);
    const read = await collect(
      withOcr.generate(request([{ role: 'user', content: [captionBlock] }], [captionImage])),
    );
    expect(read.text).toMatch(
      /Text in Image 1 \(OCR, 1 line, confidence \d+%[^)]*\):\nSIGHTLINE TEST PHOTO\n/,
    );
  });
});

describe('local backend, OCR queue', () => {
  it('stops a running OCR when the client leaves, and serves the next request', {
    timeout: 180_000,
  }, async () => {
    const backend = createLocalBackend({ measuresCacheSize: 0 });
    try {
      const block = imageBlock();
      // the top-left quarter of a terminal screenshot: 17 lines of text, a read of a few seconds
      const quarter = await sharp(await terminalScreenshot())
        .extract({ left: 0, top: 0, width: 960, height: 540 })
        .png()
        .toBuffer();
      const image = await prepare('messages.0.content.0', quarter);
      const messages: MessageParam[] = [{ role: 'user', content: [block] }];
      await collect(backend.generate(request(messages, [image]))); // the worker has started
      const started = performance.now();
      await collect(backend.generate(request(messages, [image])));
      const readMilliseconds = performance.now() - started; // what a whole read takes here

      const controller = new AbortController();
      const iterator = backend
        .generate(request(messages, [image], { signal: controller.signal }))
        [Symbol.asyncIterator]();
      const texts: string[] = [];
      for (;;) {
        const { value } = await iterator.next();
        if (value?.type === 'text_delta') texts.push(value.text);
        if (texts.join('').includes('Image 1 (')) break; // measured: OCR is next
      }
      const pending = iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the page is being read
      const abortedAt = performance.now();
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(RequestCancelledError);
      // settled at once, not when the page would have been read
      expect(performance.now() - abortedAt).toBeLessThan(readMilliseconds / 2);

      const next = await collect(backend.generate(request(messages, [image])));
      expect(next.text).toContain('Text in Image 1 (OCR, ');
      expect(endOf(next.events).stopReason).toBe('end_turn');
    } finally {
      await backend.close?.();
    }
  });

  it('answers 529 overloaded_error when the queue is full, before sending anything', {
    timeout: 120_000,
  }, async () => {
    const backend = createLocalBackend({ measuresCacheSize: 0, queueSize: 1 });
    try {
      const block = imageBlock();
      const image = await prepare('messages.0.content.0', (await textImage()).png);
      const messages: MessageParam[] = [{ role: 'user', content: [block] }];
      const controllers = [new AbortController(), new AbortController()];
      // two requests take the two places (one read, one waiting)
      const holding = controllers.map((controller) =>
        backend.generate(request(messages, [image], { signal: controller.signal }))[Symbol.asyncIterator](),
      );
      for (const iterator of holding) expect((await iterator.next()).value).toMatchObject({ type: 'start' }); // place taken, then started

      const refused = backend.generate(request(messages, [image]))[Symbol.asyncIterator]();
      const error = await refused.next().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 529, type: 'overloaded_error' });

      // a request needing no OCR is not queued
      const blank = await collect(withoutOcrQueue(backend, messages, image));
      expect(endOf(blank.events).stopReason).toBe('max_tokens');

      // a client leaving gives its place back
      for (const controller of controllers) controller.abort();
      for (const iterator of holding) await iterator.next().catch(() => undefined);
      const served = await collect(backend.generate(request(messages, [image])));
      expect(served.text).toContain(TEXT);
    } finally {
      await backend.close?.();
    }
  });
});

/** A request with max_tokens 0: nothing to show, so nothing to read, and no place taken. */
function withoutOcrQueue(
  backend: ReturnType<typeof createLocalBackend>,
  messages: MessageParam[],
  image: PreparedImage,
) {
  return backend.generate(request(messages, [image], { max_tokens: 0 }));
}
