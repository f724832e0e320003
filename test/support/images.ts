// The test-image builder, for tests and benchmarks (bench/ imports its build, dist/test/support/): real
// encoders (sharp), hand-built headers for what no encoder writes (APNG, decompression bombs), and
// generated screenshots (a terminal, a desktop). Deterministic. Fixtures are read as buffers: file-path
// loading is blocked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { RawPixels } from '../../src/imaging/encode-view.js';
import type { ImageProbe } from '../../src/imaging/probe.js';
import { FIXTURES } from './paths.js';

export { FIXTURES };
export const fixture = (relativePath: string): Buffer => readFileSync(join(FIXTURES, relativePath));

export type Rgb = [number, number, number];

/** What probeImage reports for a plain (opaque, still, unrotated) PNG of width×height. */
export const pngProbe = (width: number, height: number): ImageProbe => ({
  format: 'png',
  width,
  height,
  animated: false,
  hasAlpha: false,
  progressive: false,
  orientation: 1,
});

export const solid = (width: number, height: number, colour: Rgb, channels: 3 | 4 = 3) =>
  sharp({
    create: {
      width,
      height,
      channels,
      background: { r: colour[0], g: colour[1], b: colour[2], alpha: 1 },
    },
  });

/** A width×height image whose left half is `left` and right half `right`: orientation shows in pixels. */
export async function halves(width: number, height: number, left: Rgb, right: Rgb): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const colour = x < width / 2 ? left : right;
      raw.set(colour, (y * width + x) * 3);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Photo-like noise (compresses like a real photo), as JPEG; another `seed` gives other bytes. */
export async function noisyJpeg(
  width: number,
  height: number,
  options: { progressive?: boolean; seed?: number } = {},
) {
  const raw = Buffer.alloc(width * height * 3);
  let seed = options.seed ?? 12345;
  for (let index = 0; index < raw.length; index += 3) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const pixel = index / 3;
    const x = pixel % width;
    const y = Math.floor(pixel / width);
    raw[index] = (x * 255) / width + (seed & 31);
    raw[index + 1] = (y * 255) / height + ((seed >> 5) & 31);
    raw[index + 2] = ((x + y) * 127) / (width + height) + ((seed >> 10) & 63);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85, progressive: options.progressive ?? false })
    .toBuffer();
}

/** Raw photo-like pixels: gradients plus strong seeded sensor noise (compresses like a grainy photo). */
export function grainyPixels(width: number, height: number, noise = 96): RawPixels {
  const data = Buffer.alloc(width * height * 3);
  let seed = 2026;
  for (let index = 0; index < data.length; index += 3) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const pixel = index / 3;
    const x = pixel % width;
    const y = Math.floor(pixel / width);
    data[index] = ((x * 160) / width + (seed % noise)) & 255;
    data[index + 1] = ((y * 160) / height + ((seed >> 8) % noise)) & 255;
    data[index + 2] = (((x + y) * 80) / (width + height) + ((seed >> 16) % noise)) & 255;
  }
  return { data, width, height, channels: 3 };
}

/** White noise (seeded): nothing compresses it, so a format's quality steps show in its size. */
export function whiteNoise(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let index = 0; index < raw.length; index += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[index] = seed >> 16;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

export async function animated(format: 'gif' | 'webp', frames: Rgb[], width = 40, height = 30) {
  const pngs = await Promise.all(frames.map((colour) => solid(width, height, colour).png().toBuffer()));
  const joined = sharp(pngs, { join: { animated: true } });
  return format === 'gif' ? joined.gif().toBuffer() : joined.webp({ lossless: true }).toBuffer();
}

const chunk = (type: string, data: Buffer): Buffer => {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
};

const ihdr = (width: number, height: number, colourType = 2) => {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = 8;
  data[9] = colourType;
  return chunk('IHDR', data);
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const rgbScanlines = (width: number, height: number, colour: Rgb) => {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x += 1) row.set(colour, 1 + x * 3);
  return deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
};

/** A two-frame APNG whose default image (the first frame) is `first`. */
export function apng(width: number, height: number, first: Rgb, second: Rgb): Buffer {
  const frameControl = (sequence: number) => {
    const data = Buffer.alloc(26);
    data.writeUInt32BE(sequence, 0);
    data.writeUInt32BE(width, 4);
    data.writeUInt32BE(height, 8);
    data.writeUInt16BE(1, 20);
    data.writeUInt16BE(10, 22);
    return chunk('fcTL', data);
  };
  const animationControl = Buffer.alloc(8);
  animationControl.writeUInt32BE(2, 0);
  const secondFrame = Buffer.concat([Buffer.from([0, 0, 0, 2]), rgbScanlines(width, height, second)]);
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height),
    chunk('acTL', animationControl),
    frameControl(0),
    chunk('IDAT', rgbScanlines(width, height, first)),
    frameControl(1),
    chunk('fdAT', secondFrame),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A tiny PNG whose header claims width×height but holds almost no data: a decompression bomb. */
export function pngBomb(width: number, height: number): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Mean RGB(A) of a region of a decoded image. */
export async function meanColour(
  image: Buffer,
  region: { left: number; top: number; width: number; height: number },
): Promise<number[]> {
  const { data, info } = await sharp(image).extract(region).raw().toBuffer({ resolveWithObject: true });
  const sums = new Array<number>(info.channels).fill(0);
  for (let index = 0; index < data.length; index += 1) sums[index % info.channels]! += data[index]!;
  return sums.map((sum) => Math.round(sum / (data.length / info.channels)));
}

// A terminal screenshot drawn with sharp's text renderer (Pango, DejaVu Sans Mono): a full screen of text,
// as users send to the local engine. Deterministic for a given font set.

/** The 34 lines of a terminal session (commands, build output, listings) in `fixtures/terminal-session.txt`. */
export const TERMINAL_LINES: readonly string[] = readFileSync(join(FIXTURES, 'terminal-session.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

const escapeMarkup = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A 1920×1080 terminal screenshot (light grey text on near-black), PNG. With `variant`, its last line is
 * `$ echo VARIANT`: other bytes, the same amount of text (the local engine caches by content).
 */
export async function terminalScreenshot(options: { variant?: string } = {}): Promise<Buffer> {
  const lines =
    options.variant === undefined
      ? TERMINAL_LINES
      : [...TERMINAL_LINES.slice(0, -1), `$ echo ${options.variant}`];
  const width = 1920;
  const height = 1080;
  const lineHeight = Math.floor((height - 40) / lines.length);
  const layers = await Promise.all(
    lines.map(async (line, index) => ({
      input: await sharp({
        text: {
          text: `<span foreground="#d8d8d8">${escapeMarkup(line)}</span>`,
          font: 'DejaVu Sans Mono 17',
          dpi: 72,
          rgba: true,
        },
      })
        .png()
        .toBuffer(),
      left: 24,
      top: 20 + index * lineHeight,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: '#1e1e1e' } })
    .composite(layers)
    .png()
    .toBuffer();
}

// Desktop screenshots for long agent sessions: a window with rows of "text" (seeded noise) and a
// turn-specific status line, so every turn's capture differs. Deterministic for a given turn.

const desktops = new Map<string, Buffer>();

function seededNoise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state >> 8;
  };
}

/** The desktop without the status line: title bar, a white window, `detail` (0–1) of it covered in text. */
function desktop(width: number, height: number, detail: number): Buffer {
  const key = `${width}x${height}:${detail}`;
  const cached = desktops.get(key);
  if (cached) return cached;
  const raw = Buffer.alloc(width * height * 3, 236);
  raw.fill(40, 0, width * Math.min(height, 32) * 3);
  const [left, top] = [Math.floor(width / 12), Math.floor(height / 10)];
  const [right, bottom] = [width - left, height - Math.floor(height / 10)];
  for (let y = top; y < bottom; y += 1) raw.fill(255, (y * width + left) * 3, (y * width + right) * 3);
  const next = seededNoise(99);
  const rows = Math.floor(((bottom - top) / 20) * detail);
  for (let row = 0; row < rows; row += 1) {
    for (let y = top + 10 + row * 20; y < top + 22 + row * 20; y += 1) {
      for (let x = left + 10; x < right - 10; x += 1) {
        if ((next() & 3) === 0) raw.fill(next() & 0x3f, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  desktops.set(key, raw);
  return raw;
}

/** A width×height screenshot for `turn` (1920×1080 JPEG by default). */
export async function desktopScreenshot(
  turn: number,
  options: { width?: number; height?: number; detail?: number; format?: 'png' | 'jpeg' } = {},
): Promise<Buffer> {
  const width = options.width ?? 1920;
  const height = options.height ?? 1080;
  const raw = Buffer.from(desktop(width, height, options.detail ?? 0.3));
  // the status line: 400×12 px of turn-specific specks at the bottom left
  const next = seededNoise(1000 + turn * 7919);
  for (let y = height - 20; y < height - 8 && y >= 0; y += 1) {
    for (let x = 10; x < Math.min(width, 410); x += 1) {
      if ((next() & 1) === 0) raw.fill(next() & 0x7f, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  const image = sharp(raw, { raw: { width, height, channels: 3 } });
  return options.format === 'png'
    ? image.png({ compressionLevel: 1 }).toBuffer()
    : image.jpeg({ quality: 92 }).toBuffer();
}
