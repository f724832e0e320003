// The ordered image checks of vision.md §2 (steps 2–10) over all images of a request, with the API's
// own messages and JSON paths. Every check runs before any backend is called.

import type { VisionProfile } from '../catalog/index.js';
import { ApiError, detailsPath, imageDimensionsTooLarge, invalidRequest } from '../errors/index.js';
import { type ImagePlan, planImage } from './plan.js';
import type { ImageProbe } from './probe.js';
import { COULD_NOT_PROCESS_IMAGE } from './render.js';
import { formatFromMediaType, type ImageFormat, MEDIA_TYPES } from './sniff.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 8000;
export const MANY_IMAGES_THRESHOLD = 20;
export const MANY_IMAGES_MAX_SIDE = 2000;

export type ImageSourceInput =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url' | 'file'; bytes: Buffer };

export interface ImageToValidate {
  /** JSON path of the image block, e.g. `messages.0.content.1`. */
  path: string;
  source: ImageSourceInput;
  oversizedImage?: 'downsize' | 'error' | undefined;
}

/** Bytes of an image source, with their content hash and header probe (null: not an image we take). */
export interface DecodedImage {
  bytes: Buffer;
  hash: string;
  probe: ImageProbe | null;
}

/** Decodes (and may cache) a source; returns null for base64 that is not valid base64. */
export type SourceDecoder = (source: ImageSourceInput) => DecodedImage | null;

export interface ValidatedImage {
  path: string;
  decoded: DecodedImage;
  probe: ImageProbe;
  format: ImageFormat;
  plan: ImagePlan;
}

export interface ValidationTarget {
  id: string;
  profile: VisionProfile;
  maxImages: number;
}

const sourcePrefix = (image: ImageToValidate): string =>
  `${image.path}.image.source.${image.source.kind === 'base64' ? 'base64' : image.source.kind}`;

const MEDIA_TYPE_LIST = "'image/jpeg', 'image/png', 'image/gif' or 'image/webp'";

function checkOne(image: ImageToValidate, decode: SourceDecoder): Omit<ValidatedImage, 'plan'> {
  const prefix = sourcePrefix(image);
  const { source } = image;
  let declared: ImageFormat | null = null;
  if (source.kind === 'base64') {
    declared = formatFromMediaType(source.mediaType);
    if (declared === null) throw invalidRequest(`${prefix}.media_type: Input should be ${MEDIA_TYPE_LIST}`);
  }
  const decoded = decode(source);
  if (decoded === null) throw invalidRequest(`${prefix}: invalid base64 data`);
  const size = source.kind === 'base64' ? source.data.length : decoded.bytes.length;
  if (size > MAX_IMAGE_BYTES) {
    throw invalidRequest(`${prefix}: image exceeds 5 MB maximum: ${size} bytes > ${MAX_IMAGE_BYTES} bytes`);
  }
  const { probe } = decoded;
  if (probe === null) throw invalidRequest(COULD_NOT_PROCESS_IMAGE);
  if (declared !== null && declared !== probe.format) {
    throw invalidRequest(
      `${prefix}: The image was specified using the ${MEDIA_TYPES[declared]} media type, but the image appears to be a ${MEDIA_TYPES[probe.format]} image`,
    );
  }
  if (probe.width > MAX_IMAGE_SIDE || probe.height > MAX_IMAGE_SIDE) {
    throw imageDimensionsTooLarge(
      `${dataPath(image)}: At least one of the image dimensions exceed max allowed size: ${MAX_IMAGE_SIDE} pixels`,
      MAX_IMAGE_SIDE,
      [detailsPath(image.path)],
    );
  }
  return { path: image.path, decoded, probe, format: probe.format };
}

/**
 * `error.details.paths` lists every image over 8000 px (vision-2026-09.md §6), not just the first: the
 * images after the first offender are probed too (their own other problems are not reported).
 */
function withLaterOversizedImages(
  error: unknown,
  later: readonly ImageToValidate[],
  decode: SourceDecoder,
): unknown {
  if (!(error instanceof ApiError) || error.details?.error_code !== 'image_dimensions_too_large')
    return error;
  const laterPaths = later
    .filter((image) => {
      const probe = decodeQuietly(image, decode)?.probe;
      return probe != null && (probe.width > MAX_IMAGE_SIDE || probe.height > MAX_IMAGE_SIDE);
    })
    .map((image) => detailsPath(image.path));
  const paths = [...(error.details.paths as string[]), ...laterPaths];
  return imageDimensionsTooLarge(error.message, MAX_IMAGE_SIDE, paths);
}

const decodeQuietly = (image: ImageToValidate, decode: SourceDecoder): DecodedImage | null => {
  try {
    return decode(image.source);
  } catch {
    return null;
  }
};

const dataPath = (image: ImageToValidate): string =>
  image.source.kind === 'base64' ? `${sourcePrefix(image)}.data` : sourcePrefix(image);

/**
 * Runs the checks in the spec's order: per image (media type, base64, 5 MB, decodable, type match,
 * 8000 px), then per request (many-image 2000 px rule, image count, oversized_image: "error").
 * Throws the first failure as an ApiError; returns every image with its plan for the target model.
 */
export function validateImages(
  images: readonly ImageToValidate[],
  target: ValidationTarget,
  decode: SourceDecoder,
): ValidatedImage[] {
  const checked = images.map((image, index) => {
    try {
      return checkOne(image, decode);
    } catch (error) {
      throw withLaterOversizedImages(error, images.slice(index + 1), decode);
    }
  });
  if (images.length > MANY_IMAGES_THRESHOLD) {
    const over = images.filter(
      (_, index) =>
        checked[index]!.probe.width > MANY_IMAGES_MAX_SIDE ||
        checked[index]!.probe.height > MANY_IMAGES_MAX_SIDE,
    );
    if (over.length > 0) {
      throw imageDimensionsTooLarge(
        `${dataPath(over[0]!)}: At least one of the image dimensions exceed max allowed size for many-image requests: ${MANY_IMAGES_MAX_SIDE} pixels`,
        MANY_IMAGES_MAX_SIDE,
        over.map((image) => detailsPath(image.path)),
      );
    }
  }
  if (images.length > target.maxImages) {
    throw invalidRequest(`Too much media: 0 document pages + ${images.length} images > ${target.maxImages}`);
  }
  return checked.map((image, index) => {
    const plan = planImage(image.probe.width, image.probe.height, target.profile);
    if (images[index]!.oversizedImage === 'error' && plan.resized) {
      throw invalidRequest(
        `${image.path}.image: The image is ${plan.width}x${plan.height} pixels, larger than ${target.id} takes without resizing; the largest size that fits is ${plan.viewWidth}x${plan.viewHeight} pixels (transformations.oversized_image is "error")`,
      );
    }
    return { ...image, plan };
  });
}
