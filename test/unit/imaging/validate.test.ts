import { describe, expect, it } from 'vitest';
import { createCatalog, maxImagesFor } from '../../../src/catalog/index.js';
import { ApiError } from '../../../src/errors/index.js';
import { createImagePipeline } from '../../../src/imaging/pipeline.js';
import type { ImageToValidate, ValidationTarget } from '../../../src/imaging/validate.js';
import { fixture, pngBomb, solid } from '../../support/images.js';
import { thrownBy } from '../../support/thrown.js';

const catalog = createCatalog();
const targetOf = (id: string): ValidationTarget => {
  const model = catalog.find(id)!;
  return { id: model.id, profile: model.profile, maxImages: maxImagesFor(model) };
};
const sonnet = targetOf('claude-sonnet-4-6');
const haiku = targetOf('claude-haiku-4-5');
const pipeline = createImagePipeline();

const png = async (width: number, height: number) =>
  (await solid(width, height, [200, 100, 50]).png().toBuffer()).toString('base64');
const jpegBase64 = fixture('libvips/sample.jpg').toString('base64');

const base64Image = (path: string, data: string, mediaType = 'image/png'): ImageToValidate => ({
  path,
  source: { kind: 'base64', mediaType, data },
});

const rejection = (images: ImageToValidate[], target = sonnet) =>
  thrownBy(() => pipeline.validate(images, target), ApiError);

const expectMessage = (images: ImageToValidate[], message: string, target = sonnet) => {
  const error = rejection(images, target);
  expect(error.status).toBe(400);
  expect(error.type).toBe('invalid_request_error');
  expect(error.message).toBe(message);
};

describe('validateImages: the image checks in order, with the API messages', () => {
  it('2. media_type outside the four values', () => {
    expectMessage(
      [base64Image('messages.0.content.1', jpegBase64, 'image/bmp')],
      "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
  });

  it('3. data that is not valid base64', () => {
    for (const bad of ['iVBO!!Rw0K Ggo=', 'abc', 'data:image/png;base64,iVBORw0KGgo=', 'ab=c']) {
      expectMessage(
        [base64Image('messages.0.content.1', bad)],
        'messages.0.content.1.image.source.base64: invalid base64 data',
      );
    }
  });

  it('4. bytes per image: 10 MB under 2026-09 (the default), 5 MB on Bedrock / Vertex and under 2026-04', () => {
    // base64 sources count characters; url and file sources count bytes
    expectMessage(
      [base64Image('messages.0.content.1', 'A'.repeat(10485764))],
      'messages.0.content.1.image.source.base64: image exceeds 10 MB maximum: 10485764 bytes > 10485760 bytes',
    );
    expectMessage(
      [{ path: 'messages.2.content.0', source: { kind: 'url', bytes: Buffer.alloc(10485761) } }],
      'messages.2.content.0.image.source.url: image exceeds 10 MB maximum: 10485761 bytes > 10485760 bytes',
    );
    // between 5 and 10 MB: accepted by size on the direct API (refused later only because 'A…' is no image)
    expectMessage([base64Image('messages.0.content.1', 'A'.repeat(6418576))], 'Could not process image');
    for (const target of [
      { ...sonnet, platform: 'bedrock' as const },
      { ...sonnet, platform: 'vertex' as const },
      { ...sonnet, rules: '2026-04' as const },
      { ...sonnet, maxImageBytes: 5242880 },
    ]) {
      expectMessage(
        [base64Image('messages.0.content.1', 'A'.repeat(6418576))],
        'messages.0.content.1.image.source.base64: image exceeds 5 MB maximum: 6418576 bytes > 5242880 bytes',
        target,
      );
    }
    expectMessage(
      [{ path: 'messages.2.content.0', source: { kind: 'file', bytes: Buffer.alloc(5242881) } }],
      'messages.2.content.0.image.source.file: image exceeds 5 MB maximum: 5242881 bytes > 5242880 bytes',
      { ...sonnet, rules: '2026-04' },
    );
  });

  it('5. bytes that are not one of the four formats', () => {
    for (const file of [
      'libvips/sample.tif',
      'libvips/small.bmp',
      'libvips/logo.svg',
      'libvips/17000x17000.avif',
      'libvips/favicon.ico',
    ]) {
      expectMessage(
        [base64Image('messages.0.content.0', fixture(file).toString('base64'))],
        'Could not process image',
      );
    }
    expectMessage([base64Image('messages.0.content.0', '')], 'Could not process image');
  });

  it('6. sniffed format differs from media_type', () => {
    expectMessage(
      [base64Image('messages.2.content.0', jpegBase64, 'image/png')],
      'messages.2.content.0.image.source.base64: The image was specified using the image/png media type, but the image appears to be a image/jpeg image',
    );
  });

  it('7. a side over 8000 px, refused from the header (a bomb is never decoded)', () => {
    const started = performance.now();
    expectMessage(
      [base64Image('messages.7.content.2', pngBomb(60000, 60000).toString('base64'))],
      'messages.7.content.2.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expectMessage(
      [base64Image('messages.0.content.0', pngBomb(8001, 10).toString('base64'))],
      'messages.0.content.0.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('8. more than 20 images and a side over 2000 px', async () => {
    const small = await png(10, 10);
    const images = Array.from({ length: 21 }, (_, index) =>
      base64Image(`messages.0.content.${index}`, small),
    );
    images[5] = base64Image('messages.0.content.5', pngBomb(2001, 10).toString('base64'));
    expectMessage(
      images,
      'messages.0.content.5.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels',
    );
    // 20 images may still be large
    expect(pipeline.validate(images.slice(0, 20), sonnet)).toHaveLength(20);
  });

  it('9. more images than the model allows: 100 at 200k context, 600 above', async () => {
    const small = await png(8, 8);
    const images = (count: number) =>
      Array.from({ length: count }, (_, index) => base64Image(`messages.0.content.${index}`, small));
    expectMessage(images(101), 'Too much media: 0 document pages + 101 images > 100', haiku);
    expect(pipeline.validate(images(100), haiku)).toHaveLength(100);
    expect(pipeline.validate(images(600), sonnet)).toHaveLength(600);
    expectMessage(images(601), 'Too much media: 0 document pages + 601 images > 600');
  });

  it('10. oversized_image: "error" names the size and the largest size that fits (docs/rules/images.md §4)', async () => {
    const big = {
      ...base64Image('messages.0.content.0', await png(1920, 1080)),
      oversizedImage: 'error' as const,
    };
    expectMessage(
      [big],
      'messages.0.content.0: image dimensions 1920x1080 exceed the maximum image size of a model named on this request and would be downsized to 1456x819; scale the image to at most 1456x819 or set the image\'s oversized_image setting to "downsize"',
    );
    // url and file sources: the same text without the leading position
    const bytes = Buffer.from(big.source.kind === 'base64' ? big.source.data : '', 'base64');
    for (const kind of ['url', 'file'] as const) {
      expectMessage(
        [{ path: 'messages.3.content.1', source: { kind, bytes }, oversizedImage: 'error' }],
        'image dimensions 1920x1080 exceed the maximum image size of a model named on this request and would be downsized to 1456x819; scale the image to at most 1456x819 or set the image\'s oversized_image setting to "downsize"',
      );
    }
    // under 2026-04 the largest size that fits is the old one
    expectMessage(
      [big],
      'messages.0.content.0: image dimensions 1920x1080 exceed the maximum image size of a model named on this request and would be downsized to 1445x813; scale the image to at most 1445x813 or set the image\'s oversized_image setting to "downsize"',
      { ...sonnet, rules: '2026-04' },
    );
    expect(pipeline.validate([{ ...big, oversizedImage: 'downsize' }], sonnet)[0]!.plan.viewWidth).toBe(1456);
    expect(pipeline.validate([{ ...big, oversizedImage: undefined }], sonnet)[0]!.plan.viewWidth).toBe(1456);
    // a high-resolution model takes 1920×1080 as it is…
    const opus47 = targetOf('claude-opus-4-7');
    expect(pipeline.validate([big], opus47)[0]!.plan.resized).toBe(false);
    // …unless the request also names a standard-tier model: every named model's tier counts
    expectMessage(
      [big],
      'messages.0.content.0: image dimensions 1920x1080 exceed the maximum image size of a model named on this request and would be downsized to 1456x819; scale the image to at most 1456x819 or set the image\'s oversized_image setting to "downsize"',
      { ...opus47, otherProfiles: [sonnet.profile] },
    );
    // an image that fits is never refused, whatever the setting
    const small = {
      ...base64Image('messages.0.content.0', await png(1092, 1092)),
      oversizedImage: 'error' as const,
    };
    expect(pipeline.validate([small], sonnet)[0]!.plan).toMatchObject({ resized: false, tokens: 1521 });
  });

  it('checks run in order: the first failing check of the first failing image wins', async () => {
    const good = await png(10, 10);
    // image 0 is fine; image 1 has both a bad media type and bad base64: media type is reported
    expectMessage(
      [base64Image('messages.0.content.0', good), base64Image('messages.0.content.1', '!!', 'image/tiff')],
      "messages.0.content.1.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
    // a type mismatch (check 6) beats a too-large side (check 7)
    expectMessage(
      [base64Image('messages.0.content.0', pngBomb(9000, 10).toString('base64'), 'image/gif')],
      'messages.0.content.0.image.source.base64: The image was specified using the image/gif media type, but the image appears to be a image/png image',
    );
    // per-image checks come before the count check
    const tooMany = Array.from({ length: 101 }, (_, index) =>
      base64Image(`messages.0.content.${index}`, good),
    );
    tooMany[100] = base64Image('messages.0.content.100', 'bad!');
    expectMessage(tooMany, 'messages.0.content.100.image.source.base64: invalid base64 data', haiku);
  });

  it('paths inside tool_result content keep the nesting', () => {
    expectMessage(
      [base64Image('messages.83.content.0.tool_result.content.1', 'x')],
      'messages.83.content.0.tool_result.content.1.image.source.base64: invalid base64 data',
    );
  });

  it('valid images come back with their plan for the target model', async () => {
    const [image] = pipeline.validate([base64Image('messages.0.content.0', await png(1920, 1080))], sonnet);
    expect(image).toMatchObject({
      format: 'png',
      plan: { rules: '2026-09', viewWidth: 1456, viewHeight: 819, tokens: 1560 },
    });
    const [old] = pipeline.validate([base64Image('messages.0.content.0', await png(1920, 1080))], {
      ...sonnet,
      rules: '2026-04',
    });
    expect(old).toMatchObject({ plan: { rules: '2026-04', viewWidth: 1445, viewHeight: 813, tokens: 1567 } });
  });
});
