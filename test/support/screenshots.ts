// Generated desktop screenshots for long agent sessions: a window with rows of "text" (seeded noise) and a
// turn-specific status line, so every turn's capture differs. Deterministic for a given turn.
import sharp from 'sharp';

const bases = new Map<string, Buffer>();

function noise(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state >> 8;
  };
}

/** The desktop without the status line: title bar, a white window, `detail` (0–1) of it covered in text. */
function base(width: number, height: number, detail: number): Buffer {
  const key = `${width}x${height}:${detail}`;
  const cached = bases.get(key);
  if (cached) return cached;
  const raw = Buffer.alloc(width * height * 3, 236);
  raw.fill(40, 0, width * Math.min(height, 32) * 3);
  const [left, top] = [Math.floor(width / 12), Math.floor(height / 10)];
  const [right, bottom] = [width - left, height - Math.floor(height / 10)];
  for (let y = top; y < bottom; y += 1) raw.fill(255, (y * width + left) * 3, (y * width + right) * 3);
  const next = noise(99);
  const rows = Math.floor(((bottom - top) / 20) * detail);
  for (let row = 0; row < rows; row += 1) {
    for (let y = top + 10 + row * 20; y < top + 22 + row * 20; y += 1) {
      for (let x = left + 10; x < right - 10; x += 1) {
        if ((next() & 3) === 0) raw.fill(next() & 0x3f, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  bases.set(key, raw);
  return raw;
}

/** A width×height screenshot for `turn` (1920×1080 JPEG by default). */
export async function screenshot(
  turn: number,
  options: { width?: number; height?: number; detail?: number; format?: 'png' | 'jpeg' } = {},
): Promise<Buffer> {
  const width = options.width ?? 1920;
  const height = options.height ?? 1080;
  const raw = Buffer.from(base(width, height, options.detail ?? 0.3));
  // the status line: 400×12 px of turn-specific specks at the bottom left
  const next = noise(1000 + turn * 7919);
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
