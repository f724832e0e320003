// `error.details` of the hard size limits (docs/rules/images.md §3.5): SDK 1.15 raises
// ImageDimensionsTooLargeError from them, with every offending image's path in request order.
import { describe, expect, it } from 'vitest';
import { createCatalog, maxImagesFor } from '../../../src/catalog/index.js';
import { ApiError } from '../../../src/errors/index.js';
import { createImagePipeline } from '../../../src/imaging/pipeline.js';
import type { ImageToValidate, ValidationTarget } from '../../../src/imaging/validate.js';
import { pngBomb, solid } from '../../support/images.js';
import { thrownBy } from '../../support/thrown.js';

const model = createCatalog().find('claude-sonnet-4-6')!;
const target: ValidationTarget = { id: model.id, profile: model.profile, maxImages: maxImagesFor(model) };
const pipeline = createImagePipeline();

const image = (path: string, bytes: Buffer): ImageToValidate => ({
  path,
  source: { kind: 'base64', mediaType: 'image/png', data: bytes.toString('base64') },
});

const rejection = (images: ImageToValidate[]) => thrownBy(() => pipeline.validate(images, target), ApiError);

describe('image_dimensions_too_large details', () => {
  it('8000 px: every image over it, in order, tool_result images as messages.i.content.j.content.k', async () => {
    const small = await solid(10, 10, [1, 2, 3]).png().toBuffer();
    const error = rejection([
      image('messages.0.content.0', small),
      image('messages.0.content.1', pngBomb(8001, 10)),
      image('messages.0.content.2', small),
      image('messages.2.content.0.tool_result.content.1', pngBomb(10, 9000)),
    ]);
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'messages.0.content.1.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect(error.details).toEqual({
      error_code: 'image_dimensions_too_large',
      max_side_length_pixels: 8000,
      paths: ['messages.0.content.1', 'messages.2.content.0.content.1'],
    });
  });

  it('an earlier problem of another kind wins and has no details', () => {
    const error = rejection([
      { path: 'messages.0.content.0', source: { kind: 'base64', mediaType: 'image/png', data: 'abc' } },
      image('messages.0.content.1', pngBomb(8001, 10)),
    ]);
    expect(error.message).toBe('messages.0.content.0.image.source.base64: invalid base64 data');
    expect(error.details).toBeUndefined();
  });

  it('more than 20 images: every image over 2000 px', async () => {
    const small = await solid(10, 10, [1, 2, 3]).png().toBuffer();
    const images = Array.from({ length: 22 }, (_, index) => image(`messages.0.content.${index}`, small));
    images[3] = image('messages.0.content.3', pngBomb(2001, 10));
    images[17] = image('messages.0.content.17', pngBomb(10, 4000));
    const error = rejection(images);
    expect(error.details).toEqual({
      error_code: 'image_dimensions_too_large',
      max_side_length_pixels: 2000,
      paths: ['messages.0.content.3', 'messages.0.content.17'],
    });
  });
});
