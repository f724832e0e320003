import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeImage, withoutExifOrientation } from '../../../src/imaging/probe.js';
import { sniffFormat } from '../../../src/imaging/sniff.js';
import { animated, apng, FIXTURES, fixture, noisyJpeg, pngBomb, solid } from '../../support/images.js';

const header = (bytes: Buffer) => {
  const probe = probeImage(bytes);
  return probe && `${probe.format} ${probe.width}x${probe.height}`;
};

describe('sniffFormat', () => {
  it('knows the four formats by their magic numbers and nothing else', async () => {
    expect(sniffFormat(fixture('libvips/sample.jpg'))).toBe('jpeg');
    expect(sniffFormat(fixture('libvips/sample.png'))).toBe('png');
    expect(sniffFormat(fixture('libvips/cogs.gif'))).toBe('gif');
    expect(sniffFormat(fixture('libvips/1.webp'))).toBe('webp');
    for (const other of ['sample.tif', 'small.bmp', 'favicon.ico', 'logo.svg', '17000x17000.avif']) {
      expect(sniffFormat(fixture(`libvips/${other}`))).toBeNull();
    }
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
    expect(sniffFormat(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
  });
});

describe('probeImage agrees with libvips on every valid fixture', () => {
  const files = [
    ...readdirSync(join(FIXTURES, 'pngsuite'))
      .filter((name) => name.endsWith('.png') && !name.startsWith('x'))
      .map((name) => `pngsuite/${name}`),
    ...[
      'sample.jpg',
      'sample.png',
      'cogs.gif',
      'cogs.png',
      'cramps.gif',
      'dispose-background.gif',
      'dispose-previous.gif',
      'indexed.png',
      'rgba.png',
      'trans-x.gif',
      'trans-x.png',
      '1.webp',
      'big-height.webp',
      'looks-like-svg.webp',
    ].map((name) => `libvips/${name}`),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `libvips/rotation/${n}.jpg`),
  ];
  it.each(files)('%s', async (file) => {
    const bytes = fixture(file);
    const metadata = await sharp(bytes, { pages: 1 }).metadata();
    const probe = probeImage(bytes);
    expect(probe).not.toBeNull();
    expect([probe!.format, probe!.width, probe!.height]).toEqual([
      metadata.format,
      metadata.width,
      metadata.height,
    ]);
    expect(probe!.animated).toBe((metadata.pages ?? 1) > 1);
    if (metadata.format === 'jpeg') expect(probe!.orientation).toBe(metadata.orientation ?? 1);
  });
});

describe('probeImage on generated images', () => {
  it('baseline and progressive JPEG with EXIF and ICC segments before the frame header', async () => {
    const base = solid(640, 480, [10, 200, 30]);
    const withSegments = await base
      .clone()
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withIccProfile('p3')
      .toBuffer();
    expect(probeImage(withSegments)).toMatchObject({
      format: 'jpeg',
      width: 640,
      height: 480,
      orientation: 6,
      progressive: false,
    });
    const progressive = await base
      .clone()
      .jpeg({ progressive: true })
      .withMetadata({ orientation: 3 })
      .toBuffer();
    expect(probeImage(progressive)).toMatchObject({
      width: 640,
      height: 480,
      orientation: 3,
      progressive: true,
    });
    expect(probeImage(await noisyJpeg(1200, 900))).toMatchObject({ width: 1200, height: 900 });
  });

  it('CMYK and grayscale JPEG, 16-bit PNG, palette PNG with transparency', async () => {
    const base = solid(300, 200, [40, 80, 160]);
    expect(header(await base.clone().toColourspace('cmyk').jpeg().toBuffer())).toBe('jpeg 300x200');
    expect(header(await base.clone().grayscale().jpeg().toBuffer())).toBe('jpeg 300x200');
    expect(header(await base.clone().toColourspace('rgb16').png().toBuffer())).toBe('png 300x200');
    const palette = await solid(30, 20, [255, 0, 0], 4).png({ palette: true }).toBuffer();
    expect(probeImage(palette)).toMatchObject({ width: 30, height: 20, hasAlpha: false });
    expect(probeImage(fixture('pngsuite/tbbn3p08.png'))).toMatchObject({ hasAlpha: true });
  });

  it('APNG, animated GIF and animated WebP (VP8X)', async () => {
    expect(probeImage(apng(50, 40, [255, 0, 0], [0, 0, 255]))).toMatchObject({
      format: 'png',
      width: 50,
      height: 40,
      animated: true,
    });
    expect(
      probeImage(
        await animated('gif', [
          [255, 0, 0],
          [0, 255, 0],
        ]),
      ),
    ).toMatchObject({ format: 'gif', width: 40, height: 30, animated: true });
    expect(
      probeImage(
        await animated('webp', [
          [255, 0, 0],
          [0, 255, 0],
        ]),
      ),
    ).toMatchObject({ format: 'webp', width: 40, height: 30, animated: true });
  });

  it('WebP in its VP8 (lossy), VP8L (lossless) and VP8X (alpha) forms', async () => {
    const lossy = await solid(123, 45, [1, 2, 3]).webp({ quality: 80 }).toBuffer();
    const lossless = await solid(123, 45, [1, 2, 3]).webp({ lossless: true }).toBuffer();
    const alpha = await sharp({
      create: { width: 123, height: 45, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
    })
      .webp({ quality: 80 })
      .toBuffer();
    expect(lossy.subarray(12, 16).toString()).toBe('VP8 ');
    expect(lossless.subarray(12, 16).toString()).toBe('VP8L');
    expect(alpha.subarray(12, 16).toString()).toBe('VP8X');
    for (const bytes of [lossy, lossless, alpha]) expect(header(bytes)).toBe('webp 123x45');
    expect(probeImage(alpha)!.hasAlpha).toBe(true);
  });

  it('a GIF whose first frame is larger than its logical screen: the size libvips decodes', async () => {
    const gif = (screen: number, frame: [number, number, number, number]) => {
      const [x, y, w, h] = frame;
      const u16 = (value: number) => [value & 255, value >> 8];
      return Buffer.from([
        ...Buffer.from('GIF89a'),
        ...u16(screen),
        ...u16(screen),
        0x80,
        0,
        0,
        0,
        0,
        0,
        255,
        255,
        255,
        0x2c,
        ...u16(x),
        ...u16(y),
        ...u16(w),
        ...u16(h),
        0,
        2,
        2,
        0x4c,
        0x01,
        0,
        0x3b,
      ]);
    };
    for (const [screen, frame] of [
      [10, [0, 0, 7999, 7999]],
      [10, [5, 5, 20, 30]],
      [100, [0, 0, 10, 10]],
    ] as const) {
      const bytes = gif(screen, [...frame]);
      const metadata = await sharp(bytes).metadata();
      expect(header(bytes)).toBe(`gif ${metadata.width}x${metadata.height}`);
    }
  });

  it('reads a bomb header without decoding it', () => {
    expect(header(pngBomb(60000, 60000))).toBe('png 60000x60000');
  });
});

describe('probeImage on bad input never throws and never returns garbage', () => {
  it('zero bytes, garbage, and other formats', () => {
    expect(probeImage(Buffer.alloc(0))).toBeNull();
    expect(probeImage(Buffer.from('hello world'))).toBeNull();
    expect(probeImage(fixture('libvips/sample.tif'))).toBeNull();
  });

  it('every prefix of every format gives null or the true size', async () => {
    const samples = [
      fixture('libvips/sample.jpg'),
      await solid(64, 32, [9, 9, 9]).jpeg({ progressive: true }).withMetadata({ orientation: 8 }).toBuffer(),
      fixture('libvips/sample.png'),
      fixture('libvips/cogs.gif'),
      fixture('libvips/1.webp'),
      await solid(64, 32, [9, 9, 9]).webp({ lossless: true }).toBuffer(),
    ];
    for (const bytes of samples) {
      const truth = header(bytes);
      for (let length = 0; length < Math.min(bytes.length, 4096); length += 1) {
        // an exact-length copy, and a view into a larger buffer (reads must stay inside the view)
        const copy = Buffer.from(bytes.subarray(0, length));
        const result = header(copy);
        if (result !== null) expect(result).toBe(truth);
        const pooled = Buffer.concat([bytes, Buffer.alloc(64, 0xff)]).subarray(0, length);
        const pooledResult = header(pooled);
        if (pooledResult !== null) expect(pooledResult).toBe(truth);
      }
    }
  });

  it('the deliberately corrupt PngSuite files give null or a sane size', () => {
    const corrupt = readdirSync(join(FIXTURES, 'pngsuite')).filter((name) => name.startsWith('x'));
    expect(corrupt.length).toBe(14);
    for (const name of corrupt) {
      const probe = probeImage(fixture(`pngsuite/${name}`));
      if (probe) expect(probe.width * probe.height).toBeLessThan(1e8);
    }
  });
});

describe('withoutExifOrientation', () => {
  it('sets a JPEG orientation to 1 in a copy, in either byte order, and leaves everything else alone', async () => {
    for (const orientation of [3, 6, 8]) {
      const rotated = await solid(64, 48, [200, 10, 10]).jpeg().withMetadata({ orientation }).toBuffer();
      const shown = withoutExifOrientation(rotated);
      expect(shown).not.toBe(rotated);
      expect(shown.length).toBe(rotated.length);
      expect(probeImage(Buffer.from(shown))).toMatchObject({ width: 64, height: 48, orientation: 1 });
      expect((await sharp(Buffer.from(shown)).metadata()).orientation).toBe(1);
      expect(probeImage(rotated)!.orientation).toBe(orientation); // the original is untouched
    }
    for (const n of [6, 8]) {
      const fixtureBytes = fixture(`libvips/rotation/${n}.jpg`);
      expect(probeImage(Buffer.from(withoutExifOrientation(fixtureBytes)))!.orientation).toBe(1);
    }
  });

  it('returns other images, and JPEGs without orientation, as they are', async () => {
    const plain = await solid(10, 10, [1, 2, 3]).jpeg().toBuffer();
    expect(withoutExifOrientation(plain)).toBe(plain);
    const png = fixture('libvips/sample.png');
    expect(withoutExifOrientation(png)).toBe(png);
    const truncated = plain.subarray(0, 20);
    expect(withoutExifOrientation(truncated)).toBe(truncated);
  });
});
