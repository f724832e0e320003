// Generates the benchmark inputs with sharp: a photo-like 12-MP JPEG, a UI-like PNG screenshot,
// an animated GIF and a lossy WebP. Deterministic (seeded), written to bench/out/ for inspection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** A small deterministic PRNG (mulberry32) so every run benchmarks the same pixels. */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clampByte = (value) => (value < 0 ? 0 : value > 255 ? 255 : value | 0);

/**
 * Photo-like raw RGB: smooth gradients and soft blobs (low frequencies, like sky and objects)
 * plus per-pixel sensor-like noise (high frequencies), so it compresses like a real photo.
 */
export function photoPixels(width, height, seed, noiseAmplitude = 14) {
  const random = createRandom(seed);
  const blobs = Array.from({ length: 12 }, () => ({
    x: random() * width,
    y: random() * height,
    radius: (0.05 + random() * 0.2) * width,
    colour: [random() * 200 - 100, random() * 200 - 100, random() * 200 - 100],
  }));
  const raw = Buffer.alloc(width * height * 3);
  // Low-frequency part on a coarse grid, interpolated per pixel, keeps generation fast.
  const step = 16;
  const gridWidth = Math.ceil(width / step) + 1;
  const gridHeight = Math.ceil(height / step) + 1;
  const grid = new Float32Array(gridWidth * gridHeight * 3);
  for (let gy = 0; gy < gridHeight; gy += 1) {
    for (let gx = 0; gx < gridWidth; gx += 1) {
      const x = gx * step;
      const y = gy * step;
      const base = [
        60 + (140 * x) / width,
        80 + 90 * Math.sin((y / height) * Math.PI),
        170 - (120 * y) / height,
      ];
      for (const blob of blobs) {
        const distance2 = (x - blob.x) ** 2 + (y - blob.y) ** 2;
        const weight = Math.exp(-distance2 / (2 * blob.radius * blob.radius));
        for (let channel = 0; channel < 3; channel += 1) base[channel] += weight * blob.colour[channel];
      }
      grid.set(base, (gy * gridWidth + gx) * 3);
    }
  }
  let offset = 0;
  for (let y = 0; y < height; y += 1) {
    const gy = Math.floor(y / step);
    const fy = (y % step) / step;
    for (let x = 0; x < width; x += 1) {
      const gx = Math.floor(x / step);
      const fx = (x % step) / step;
      const i00 = (gy * gridWidth + gx) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + gridWidth * 3;
      const i11 = i01 + 3;
      // Texture: fine detail whose strength varies across the frame, like foliage next to sky.
      const detail = noiseAmplitude * (0.3 + 0.7 * Math.abs(Math.sin((x + y * 0.7) / 350)));
      const noise = (random() + random() - 1) * detail;
      for (let channel = 0; channel < 3; channel += 1) {
        const top = grid[i00 + channel] * (1 - fx) + grid[i10 + channel] * fx;
        const bottom = grid[i01 + channel] * (1 - fx) + grid[i11 + channel] * fx;
        raw[offset] = clampByte(top * (1 - fy) + bottom * fy + noise);
        offset += 1;
      }
    }
  }
  return raw;
}

/** A 4000×3000 baseline JPEG at quality 85 (4:2:0, as cameras write them), about 3 MB. */
export function photoJpeg(seed, width = 4000, height = 3000, noiseAmplitude = 32) {
  return sharp(photoPixels(width, height, seed, noiseAmplitude), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85, progressive: false, mozjpeg: false })
    .toBuffer();
}

/** A UI-like screenshot: flat panels, a sidebar, a title bar and rows of text-like glyph stripes. */
export function screenshotPng(width = 1920, height = 1080) {
  const random = createRandom(7);
  const raw = Buffer.alloc(width * height * 3);
  const fill = (left, top, w, h, colour) => {
    for (let y = top; y < Math.min(height, top + h); y += 1) {
      for (let x = left; x < Math.min(width, left + w); x += 1) raw.set(colour, (y * width + x) * 3);
    }
  };
  fill(0, 0, width, height, [246, 247, 249]);
  fill(0, 0, width, 48, [36, 41, 47]); // title bar
  fill(0, 48, 280, height - 48, [230, 233, 237]); // sidebar
  const panels = [
    [320, 88, 760, 420],
    [1120, 88, 760, 420],
    [320, 548, 1560, 492],
  ];
  for (const [left, top, w, h] of panels) {
    fill(left, top, w, h, [255, 255, 255]);
    fill(left, top, w, 1, [208, 215, 222]);
    fill(left, top + h - 1, w, 1, [208, 215, 222]);
  }
  // Text-like lines: runs of "glyphs" (small dark strokes) grouped into words.
  const writeLine = (left, top, maxWidth, colour) => {
    let x = left;
    const end = left + maxWidth * (0.5 + random() * 0.5);
    while (x < end) {
      const letters = 2 + Math.floor(random() * 8);
      for (let letter = 0; letter < letters && x < end; letter += 1) {
        const glyphWidth = 5 + Math.floor(random() * 3);
        for (let stroke = 0; stroke < glyphWidth; stroke += 1) {
          if (random() < 0.55)
            fill(x + stroke, top + Math.floor(random() * 3), 1, 8 + Math.floor(random() * 4), colour);
        }
        x += glyphWidth + 2;
      }
      x += 6;
    }
  };
  for (let y = 64; y < height - 16; y += 22) writeLine(16, y, 240, [60, 64, 70]);
  for (const [left, top, w, h] of panels) {
    for (let y = top + 20; y < top + h - 20; y += 20) writeLine(left + 20, y, w - 40, [31, 35, 40]);
  }
  for (let x = 20; x < width - 200; x += 140) writeLine(x, 18, 110, [220, 224, 228]);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** An animated GIF: `frames` frames of width×height, a softly lit scene panning sideways, 128 colours. */
export async function animatedGif(width = 800, height = 600, frames = 10) {
  const sceneWidth = width + frames * 8;
  const scene = photoPixels(sceneWidth, height, 99, 4);
  const frameBuffers = await Promise.all(
    Array.from({ length: frames }, (_, index) =>
      sharp(scene, { raw: { width: sceneWidth, height, channels: 3 } })
        .extract({ left: index * 8, top: 0, width, height })
        .png({ compressionLevel: 1 })
        .toBuffer(),
    ),
  );
  return sharp(frameBuffers, { join: { animated: true } })
    .gif({ delay: 100, loop: 0, colours: 128, effort: 1, dither: 0 })
    .toBuffer();
}

/** A 2000×1500 lossy WebP (VP8), quality 80. */
export function lossyWebp(width = 2000, height = 1500) {
  return sharp(photoPixels(width, height, 42), { raw: { width, height, channels: 3 } })
    .webp({ quality: 80 })
    .toBuffer();
}

/** Generates every input, writes it to `directory`, returns the buffers. */
export async function generateInputs(directory, extraPhotos = 4) {
  const photos = [];
  for (let index = 0; index <= extraPhotos; index += 1) photos.push(await photoJpeg(1000 + index));
  const inputs = {
    jpeg: { name: 'photo-4000x3000.jpg', data: photos[0] },
    png: { name: 'screenshot-1920x1080.png', data: await screenshotPng() },
    gif: { name: 'animated-800x600x10.gif', data: await animatedGif() },
    webp: { name: 'photo-2000x1500.webp', data: await lossyWebp() },
  };
  for (const input of Object.values(inputs)) writeFileSync(join(directory, input.name), input.data);
  const photoFiles = photos.map((data, index) => {
    const path = join(directory, `photo-${index}.jpg`);
    writeFileSync(path, data);
    return path;
  });
  return { inputs, photoFiles };
}
