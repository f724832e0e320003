// The image checks of a request (docs/rules/images.md §3), as pure functions that return the
// API's own message or null. One module for the server (validate.ts), the CLI (`estimate`) and the
// Workbench (served to the page like plan.js): the limits and the wording live here only.
//
// Order, per image: media type → valid base64 → bytes → decodable → declared type matches → 8000 px;
// then per request: more than 20 images and a side over 2000 px → image count → oversized_image "error".
import type { VisionProfile } from '../catalog/index.js';
import { planImage } from './plan.js';
import type { VisionRules } from './rules.js';
import { type ImageFormat, MEDIA_TYPES } from './sniff.js';

export const MAX_IMAGE_SIDE = 8000;
export const MANY_IMAGES_THRESHOLD = 20;
export const MANY_IMAGES_MAX_SIDE = 2000;
export const COULD_NOT_PROCESS_IMAGE = 'Could not process image';
export const ACCEPTED_MEDIA_TYPES: readonly string[] = Object.values(MEDIA_TYPES);

const MEDIA_TYPE_LIST = "'image/jpeg', 'image/png', 'image/gif' or 'image/webp'";
const MIB = 1024 * 1024;

export type SourceKind = 'base64' | 'url' | 'file';

/** What the checks need to know of one image block. */
export interface ImageFacts {
  /** JSON path of the image block, e.g. `messages.0.content.1`; '' for messages without a position. */
  path: string;
  kind: SourceKind;
  /** base64 sources: the declared media type */
  mediaType?: string | undefined;
  /** base64 sources: whether `data` is valid base64 (default true) */
  validBase64?: boolean | undefined;
  /** base64: the length of the base64 string; url and file: the bytes */
  size: number;
  /** what the header says; null when it is not a JPEG/PNG/GIF/WebP header that can be read */
  probe: { format: ImageFormat; width: number; height: number } | null;
}

const prefixed = (prefix: string, message: string): string =>
  prefix === '' ? message : `${prefix}: ${message}`;

/** `messages.0.content.1.image.source.base64` ('' when the image has no position). */
export const sourcePath = (image: Pick<ImageFacts, 'path' | 'kind'>): string =>
  image.path === '' ? '' : `${image.path}.image.source.${image.kind}`;

/** The path the dimension errors name: `….source.base64.data` for base64, `….source.url|file` otherwise. */
export const dataPath = (image: Pick<ImageFacts, 'path' | 'kind'>): string =>
  image.path === '' ? '' : image.kind === 'base64' ? `${sourcePath(image)}.data` : sourcePath(image);

/** Check 2: a base64 source's media type is one of the four. */
export function mediaTypeProblem(image: Pick<ImageFacts, 'path' | 'kind' | 'mediaType'>): string | null {
  if (image.kind !== 'base64' || ACCEPTED_MEDIA_TYPES.includes(image.mediaType ?? '')) return null;
  const path = sourcePath(image);
  return `${path === '' ? '' : `${path}.`}media_type: Input should be ${MEDIA_TYPE_LIST}`;
}

/** Check 3: base64 data that is not valid base64. */
export const invalidBase64Message = (image: Pick<ImageFacts, 'path' | 'kind'>): string =>
  prefixed(sourcePath(image), 'invalid base64 data');

/** Check 4: `image exceeds 10 MB maximum: N bytes > 10485760 bytes` (the limit from `maxImageBytesFor`). */
export function byteSizeProblem(image: Pick<ImageFacts, 'path' | 'kind' | 'size'>, maxImageBytes: number) {
  if (image.size <= maxImageBytes) return null;
  const megabytes = Number((maxImageBytes / MIB).toFixed(2));
  return prefixed(
    sourcePath(image),
    `image exceeds ${megabytes} MB maximum: ${image.size} bytes > ${maxImageBytes} bytes`,
  );
}

/** Checks 5–6 on a probed image: decodable, and the declared media type matches the bytes. */
export function headerProblem(
  image: Pick<ImageFacts, 'path' | 'kind' | 'mediaType' | 'probe'>,
): string | null {
  const { probe } = image;
  if (probe === null) return COULD_NOT_PROCESS_IMAGE;
  if (
    image.kind === 'base64' &&
    image.mediaType !== undefined &&
    image.mediaType !== MEDIA_TYPES[probe.format]
  ) {
    return prefixed(
      sourcePath(image),
      `The image was specified using the ${image.mediaType} media type, but the image appears to be a ${MEDIA_TYPES[probe.format]} image`,
    );
  }
  return null;
}

/** Check 7: no side over 8000 px (the server adds `error.details`: image_dimensions_too_large). */
export function dimensionsProblem(image: Pick<ImageFacts, 'path' | 'kind' | 'probe'>): string | null {
  const { probe } = image;
  if (probe === null || (probe.width <= MAX_IMAGE_SIDE && probe.height <= MAX_IMAGE_SIDE)) return null;
  return prefixed(
    dataPath(image),
    `At least one of the image dimensions exceed max allowed size: ${MAX_IMAGE_SIDE} pixels`,
  );
}

/** Checks 2–7 of one image, in order: the first problem, or null. */
export function imageProblem(image: ImageFacts, limits: { maxImageBytes: number }): string | null {
  return (
    mediaTypeProblem(image) ??
    (image.validBase64 === false ? invalidBase64Message(image) : null) ??
    byteSizeProblem(image, limits.maxImageBytes) ??
    headerProblem(image) ??
    dimensionsProblem(image)
  );
}

/** Check 8: in a request of more than 20 images, no side may exceed 2000 px. */
export function manyImagesProblem(
  image: Pick<ImageFacts, 'path' | 'kind' | 'probe'>,
  imagesInRequest: number,
): string | null {
  const { probe } = image;
  if (imagesInRequest <= MANY_IMAGES_THRESHOLD || probe === null) return null;
  if (probe.width <= MANY_IMAGES_MAX_SIDE && probe.height <= MANY_IMAGES_MAX_SIDE) return null;
  return prefixed(
    dataPath(image),
    `At least one of the image dimensions exceed max allowed size for many-image requests: ${MANY_IMAGES_MAX_SIDE} pixels`,
  );
}

/** Check 9: more images than the model takes (100 at a 200k context window, 600 above). */
export const imageCountProblem = (imagesInRequest: number, maxImages: number): string | null =>
  imagesInRequest > maxImages
    ? `Too much media: 0 document pages + ${imagesInRequest} images > ${maxImages}`
    : null;

/**
 * Check 10, `transformations.oversized_image: "error"`: the image would be resized for the tier of any
 * model the request names (`profiles`). The message names the smallest of those views; base64 images carry
 * their block's position, url and file images (checked once fetched) do not.
 */
export function oversizedProblem(
  image: Pick<ImageFacts, 'path' | 'kind'> & { width: number; height: number },
  profiles: readonly VisionProfile[],
  rules: VisionRules,
): string | null {
  let smallest: { viewWidth: number; viewHeight: number } | null = null;
  for (const profile of profiles) {
    const plan = planImage(image.width, image.height, profile, rules);
    if (
      plan.resized &&
      (smallest === null || plan.viewWidth * plan.viewHeight < smallest.viewWidth * smallest.viewHeight)
    )
      smallest = plan;
  }
  if (smallest === null) return null;
  const fits = `${smallest.viewWidth}x${smallest.viewHeight}`;
  const message = `image dimensions ${image.width}x${image.height} exceed the maximum image size of a model named on this request and would be downsized to ${fits}; scale the image to at most ${fits} or set the image's oversized_image setting to "downsize"`;
  return image.kind === 'base64' && image.path !== '' ? `${image.path}: ${message}` : message;
}
