import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { HIGH_RESOLUTION_PROFILE, STANDARD_PROFILE } from '../../../src/catalog/index.js';
import { ApiError } from '../../../src/errors/index.js';
import { planImage } from '../../../src/imaging/plan.js';
import { probeImage } from '../../../src/imaging/probe.js';
import { renderModelView } from '../../../src/imaging/render.js';
import {
  animated,
  apng,
  FIXTURES,
  fixture,
  halves,
  meanColour,
  noisyJpeg,
  pngBomb,
  solid,
} from '../../support/images.js';

async function view(
  bytes: Buffer,
  options: Parameters<typeof renderModelView>[3] = {},
  profile = STANDARD_PROFILE,
) {
  const probe = probeImage(bytes)!;
  const plan = planImage(probe.width, probe.height, profile);
  const rendered = await renderModelView(bytes, plan, probe.hasAlpha, options);
  return { plan, rendered, metadata: await sharp(rendered.data).metadata() };
}

const near = (actual: number[], expected: number[], tolerance = 6) => {
  for (const [index, value] of expected.entries()) {
    expect(Math.abs(actual[index]! - value)).toBeLessThanOrEqual(tolerance);
  }
};

describe('renderModelView', () => {
  it('scales, pads right and bottom with black, and keeps the picture where it was', async () => {
    const bytes = await halves(1920, 1080, [255, 0, 0], [0, 0, 255]);
    const { rendered, metadata } = await view(bytes);
    expect([metadata.width, metadata.height, rendered.contentWidth, rendered.contentHeight]).toEqual([
      1456, 840, 1456, 819,
    ]);
    near(await meanColour(rendered.data, { left: 0, top: 0, width: 700, height: 819 }), [255, 0, 0]);
    near(await meanColour(rendered.data, { left: 756, top: 0, width: 700, height: 819 }), [0, 0, 255]);
    // padding: the bottom strip is black (1456 is already a multiple of 28)
    near(await meanColour(rendered.data, { left: 0, top: 819, width: 1456, height: 21 }), [0, 0, 0], 0);
    // under the 2026-04 rules the view is 1445×813: a right strip as well
    const old = planImage(1920, 1080, STANDARD_PROFILE, '2026-04');
    const oldView = await renderModelView(bytes, old, false);
    expect([oldView.width, oldView.height, oldView.contentWidth, oldView.contentHeight]).toEqual([
      1456, 840, 1445, 813,
    ]);
    near(await meanColour(oldView.data, { left: 1445, top: 0, width: 11, height: 840 }), [0, 0, 0], 0);
    near(await meanColour(oldView.data, { left: 0, top: 813, width: 1456, height: 27 }), [0, 0, 0], 0);
  });

  it('renders without padding when asked (for upstreams that pad on their side)', async () => {
    const bytes = await halves(1920, 1080, [255, 0, 0], [0, 0, 255]);
    const probe = probeImage(bytes)!;
    const plan = planImage(probe.width, probe.height, STANDARD_PROFILE);
    const rendered = await renderModelView(bytes, plan, false, { pad: false });
    const metadata = await sharp(rendered.data).metadata();
    expect([metadata.width, metadata.height, rendered.width, rendered.height]).toEqual([
      1456, 819, 1456, 819,
    ]);
  });

  it('does not upscale and only pads small images', async () => {
    const { rendered } = await view(await solid(200, 100, [10, 20, 30]).png().toBuffer());
    expect([rendered.width, rendered.height, rendered.contentWidth, rendered.contentHeight]).toEqual([
      224, 112, 200, 100,
    ]);
    near(await meanColour(rendered.data, { left: 0, top: 0, width: 200, height: 100 }), [10, 20, 30], 0);
  });

  it('renders only the first frame of an animated GIF, WebP and APNG', async () => {
    for (const bytes of [
      await animated('gif', [
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
      ]),
      await animated('webp', [
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
      ]),
      apng(40, 30, [255, 0, 0], [0, 255, 0]),
    ]) {
      const { rendered, metadata } = await view(bytes);
      expect([metadata.width, metadata.height, metadata.pages ?? 1]).toEqual([56, 56, 1]);
      near(
        (await meanColour(rendered.data, { left: 0, top: 0, width: 40, height: 30 })).slice(0, 3),
        [255, 0, 0],
      );
    }
  });

  it('keeps EXIF-rotated JPEGs as stored (no auto-orientation) unless asked', async () => {
    const stored = await halves(64, 48, [255, 0, 0], [0, 0, 255]);
    const rotated = await sharp(stored).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const asStored = await view(rotated);
    expect([asStored.rendered.contentWidth, asStored.rendered.contentHeight]).toEqual([64, 48]);
    near(
      await meanColour(asStored.rendered.data, { left: 0, top: 0, width: 24, height: 48 }),
      [255, 0, 0],
      20,
    );
    // with autoOrient the plan is made on the displayed (rotated) size
    const plan = planImage(48, 64, STANDARD_PROFILE);
    const oriented = await renderModelView(rotated, plan, false, { autoOrient: true });
    expect([oriented.contentWidth, oriented.contentHeight, oriented.width, oriented.height]).toEqual([
      48, 64, 56, 84,
    ]);
    // the libvips fixtures: every orientation renders at its stored size
    for (const n of [1, 3, 6, 8]) {
      const bytes = fixture(`libvips/rotation/${n}.jpg`);
      const { rendered } = await view(bytes);
      const probe = probeImage(bytes)!;
      expect(rendered.contentWidth).toBe(planImage(probe.width, probe.height, STANDARD_PROFILE).viewWidth);
    }
  });

  it('handles 16-bit PNG, CMYK JPEG, progressive JPEG and grayscale as 8-bit sRGB', async () => {
    const base = solid(300, 200, [40, 120, 200]);
    // [bytes, tolerance]: CMYK without an embedded profile goes through a generic one, so colours drift
    const cases: Array<[Buffer, number]> = [
      [await base.clone().toColourspace('rgb16').png().toBuffer(), 2],
      [await base.clone().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(), 24],
      [await base.clone().jpeg({ quality: 95, progressive: true }).toBuffer(), 4],
    ];
    for (const [bytes, tolerance] of cases) {
      const { rendered, metadata } = await view(bytes);
      expect([metadata.depth, metadata.space, metadata.channels]).toEqual(['uchar', 'srgb', 3]);
      near(
        await meanColour(rendered.data, { left: 0, top: 0, width: 300, height: 200 }),
        [40, 120, 200],
        tolerance,
      );
    }
    const gray = await view(await base.clone().grayscale().jpeg().toBuffer());
    const [r, g, b] = await meanColour(gray.rendered.data, { left: 0, top: 0, width: 300, height: 200 });
    expect(Math.abs(r! - g!) + Math.abs(g! - b!)).toBeLessThanOrEqual(2);
  });

  it('pads images with alpha with transparency, and PNG palettes with tRNS keep it', async () => {
    const transparent = await sharp({
      create: { width: 30, height: 20, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } },
    })
      .png({ palette: true })
      .toBuffer();
    const { rendered, metadata } = await view(transparent);
    expect(metadata.hasAlpha).toBe(true);
    const padding = await meanColour(rendered.data, { left: 30, top: 0, width: 26, height: 28 });
    expect(padding[3]).toBe(0);
    const inside = await meanColour(rendered.data, { left: 0, top: 0, width: 30, height: 20 });
    expect(inside[3]).toBeGreaterThan(100);
    expect(inside[3]).toBeLessThan(160);
    // JPEG output cannot hold alpha: transparency flattened on white, padding black
    const asJpeg = await view(transparent, { format: 'jpeg' });
    near(
      await meanColour(asJpeg.rendered.data, { left: 2, top: 2, width: 24, height: 14 }),
      [255, 128, 128],
      12,
    );
  });

  it('strips every piece of metadata', async () => {
    const tagged = await noisyJpeg(800, 600).then((bytes) =>
      sharp(bytes)
        .withMetadata({ orientation: 6 })
        .withIccProfile('p3')
        .withExif({ IFD0: { Copyright: 'secret' } })
        .jpeg()
        .toBuffer(),
    );
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const { metadata } = await view(tagged, { format });
      expect(metadata.format).toBe(format);
      expect([metadata.exif, metadata.icc, metadata.xmp, metadata.orientation]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    }
  });

  it('shrinks a 12-MP JPEG to the high-res view', async () => {
    const { rendered } = await view(await noisyJpeg(4000, 3000), {}, HIGH_RESOLUTION_PROFILE);
    expect([rendered.contentWidth, rendered.contentHeight, rendered.width, rendered.height]).toEqual([
      2212, 1659, 2212, 1680,
    ]);
  });
});

describe('renderModelView on bad input: a clear error, never a crash or a hang', () => {
  const expectCouldNotProcess = async (bytes: Buffer, width = 10, height = 10) => {
    const error = await renderModelView(bytes, planImage(width, height, STANDARD_PROFILE), false).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('Could not process image');
    expect((error as ApiError).status).toBe(400);
  };

  it('truncated JPEG and GIF, invalid multi-frame GIF, zero bytes', async () => {
    await expectCouldNotProcess(fixture('libvips/truncated.jpg'));
    await expectCouldNotProcess(Buffer.alloc(0));
    const jpeg = await noisyJpeg(400, 300);
    await expectCouldNotProcess(jpeg.subarray(0, jpeg.length >> 1), 400, 300);
  });

  it('formats outside the allow-list are never decoded, whatever they look like', async () => {
    for (const file of ['sample.tif', 'small.bmp', 'logo.svg', 'favicon.ico', '17000x17000.avif']) {
      await expectCouldNotProcess(fixture(`libvips/${file}`));
    }
  });

  it('a real 12000×12000 PNG (small file, huge image) is refused fast without growing memory', async () => {
    const bomb = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    for (let attempt = 0; attempt < 5; attempt += 1) await expectCouldNotProcess(bomb, 12000, 12000);
    expect(performance.now() - started).toBeLessThan(1000);
    // decoding it would take 432 MB; refusing it from the header takes almost nothing
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a decompression bomb is refused from the header, fast', async () => {
    const started = performance.now();
    await expectCouldNotProcess(pngBomb(60000, 60000), 60000, 60000);
    await expectCouldNotProcess(pngBomb(20000, 20000), 20000, 20000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('every fixture: valid ones render to their planned canvas, the corrupt ones are refused', async () => {
    const results: Record<string, string> = {};
    const files = [
      ...readdirSync(join(FIXTURES, 'pngsuite'))
        .filter((name) => name.endsWith('.png'))
        .map((name) => `pngsuite/${name}`),
      ...readdirSync(join(FIXTURES, 'libvips'))
        .filter((name) => !name.includes('LICENSE') && name !== 'rotation')
        .map((name) => `libvips/${name}`),
    ];
    for (const file of files) {
      const bytes = fixture(file);
      const probe = probeImage(bytes);
      if (!probe) {
        results[file] = 'refused by probe';
        continue;
      }
      const plan = planImage(probe.width, probe.height, STANDARD_PROFILE);
      try {
        const rendered = await renderModelView(bytes, plan, probe.hasAlpha);
        expect([rendered.width, rendered.height]).toEqual([plan.canvasWidth, plan.canvasHeight]);
        results[file] = 'rendered';
      } catch (error) {
        expect((error as ApiError).message).toBe('Could not process image');
        results[file] = 'refused';
      }
    }
    // every valid PngSuite file renders; every deliberately corrupt one (x*) is refused
    for (const [file, result] of Object.entries(results)) {
      if (file.startsWith('pngsuite/x')) expect(result, file).not.toBe('rendered');
      else if (file.startsWith('pngsuite/')) expect(result, file).toBe('rendered');
    }
    for (const file of [
      'sample.jpg',
      'sample.png',
      'cogs.gif',
      'indexed.png',
      'rgba.png',
      'trans-x.gif',
      '1.webp',
      'big-height.webp',
      'dispose-background.gif',
    ]) {
      expect(results[`libvips/${file}`], file).toBe('rendered');
    }
    for (const file of [
      'truncated.jpg',
      'sample.tif',
      'small.bmp',
      'logo.svg',
      'favicon.ico',
      '17000x17000.avif',
    ]) {
      expect(results[`libvips/${file}`], file).not.toBe('rendered');
    }
  });
});
