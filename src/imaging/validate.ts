// Runs the image checks (checks.ts, one pure module shared with the CLI and the Workbench) over all images
// of a request, decoding each source once, and throws the first failure as a 400 invalid_request_error.
// Every check runs before any backend is called.

import type { VisionProfile } from '../catalog/index.js';
import { ApiError, detailsPath, imageDimensionsTooLarge, invalidRequest } from '../errors/index.js';
import {
  byteSizeProblem,
  dimensionsProblem,
  headerProblem,
  imageCountProblem,
  invalidBase64Message,
  MANY_IMAGES_MAX_SIDE,
  MAX_IMAGE_SIDE,
  manyImagesProblem,
  mediaTypeProblem,
  oversizedProblem,
} from './checks.js';
import { type ImagePlan, planImage } from './plan.js';
import type { ImageProbe } from './probe.js';
import { DEFAULT_VISION_RULES, type ImagePlatform, maxImageBytesFor, type VisionRules } from './rules.js';
import type { ImageFormat } from './sniff.js';

export {
  COULD_NOT_PROCESS_IMAGE,
  MANY_IMAGES_MAX_SIDE,
  MANY_IMAGES_THRESHOLD,
  MAX_IMAGE_SIDE,
} from './checks.js';

export type ImageSourceInput =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url' | 'file'; bytes: Buffer };

export interface ImageToValidate {
  /** JSON path of the image block, e.g. `messages.0.content.1`. */
  path: string;
  source: ImageSourceInput;
  /** `transformations.oversized_image`; undefined or 'downsize': resize as needed. */
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

/** The model the images are checked and planned for, and the rules in force. */
export interface ValidationTarget {
  id: string;
  profile: VisionProfile;
  maxImages: number;
  /** the revision of the rules (default 2026-09) */
  rules?: VisionRules | undefined;
  /** where the model is served: Bedrock and Vertex AI take 5 MB per image under 2026-09 (default anthropic) */
  platform?: ImagePlatform | undefined;
  /** overrides the per-image byte limit that `rules` and `platform` give */
  maxImageBytes?: number | undefined;
  /**
   * The vision profiles of other models the request names: `oversized_image: "error"` refuses an image
   * that any of them (or `profile`) would resize.
   */
  otherProfiles?: readonly VisionProfile[] | undefined;
}

/** The per-image byte limit for a target: explicit, else by rules and platform. */
export const maxImageBytesOf = (
  target: Pick<ValidationTarget, 'rules' | 'platform' | 'maxImageBytes'>,
): number => target.maxImageBytes ?? maxImageBytesFor(target.rules ?? DEFAULT_VISION_RULES, target.platform);

function checkOne(
  image: ImageToValidate,
  decode: SourceDecoder,
  maxImageBytes: number,
): Omit<ValidatedImage, 'plan'> {
  const { source } = image;
  const facts = {
    path: image.path,
    kind: source.kind,
    mediaType: source.kind === 'base64' ? source.mediaType : undefined,
  };
  const fail = (message: string | null) => {
    if (message !== null) throw invalidRequest(message);
  };
  fail(mediaTypeProblem(facts));
  const decoded = decode(source);
  if (decoded === null) throw invalidRequest(invalidBase64Message(facts));
  const size = source.kind === 'base64' ? source.data.length : decoded.bytes.length;
  fail(byteSizeProblem({ ...facts, size }, maxImageBytes));
  const { probe } = decoded;
  fail(headerProblem({ ...facts, probe }));
  const tooLarge = dimensionsProblem({ ...facts, probe });
  if (tooLarge !== null) throw imageDimensionsTooLarge(tooLarge, MAX_IMAGE_SIDE, [detailsPath(image.path)]);
  return { path: image.path, decoded, probe: probe!, format: probe!.format };
}

/**
 * `error.details.paths` lists every image over 8000 px (docs/rules/images.md §3.5), not just the first: the
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
      const probe = decodeQuietly(image, decode)?.probe ?? null;
      return dimensionsProblem({ path: image.path, kind: image.source.kind, probe }) !== null;
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

/**
 * Runs the checks in order: per image (media type, base64, bytes, decodable, type match, 8000 px), then
 * per request (many-image 2000 px rule, image count, oversized_image: "error"). Throws the first failure
 * as an ApiError; returns every image with its plan for the target model under the target's rules.
 */
export function validateImages(
  images: readonly ImageToValidate[],
  target: ValidationTarget,
  decode: SourceDecoder,
): ValidatedImage[] {
  const rules = target.rules ?? DEFAULT_VISION_RULES;
  const maxImageBytes = maxImageBytesOf(target);
  const checked = images.map((image, index) => {
    try {
      return checkOne(image, decode, maxImageBytes);
    } catch (error) {
      throw withLaterOversizedImages(error, images.slice(index + 1), decode);
    }
  });
  // more than 20 images: every image with a side over 2000 px is listed in error.details.paths
  const manyImages = checked
    .map((image, index) => ({
      path: image.path,
      problem: manyImagesProblem({ ...image, kind: images[index]!.source.kind }, images.length),
    }))
    .filter((entry) => entry.problem !== null);
  if (manyImages.length > 0) {
    throw imageDimensionsTooLarge(
      manyImages[0]!.problem!,
      MANY_IMAGES_MAX_SIDE,
      manyImages.map((entry) => detailsPath(entry.path)),
    );
  }
  const countProblem = imageCountProblem(images.length, target.maxImages);
  if (countProblem !== null) throw invalidRequest(countProblem);
  const profiles = [target.profile, ...(target.otherProfiles ?? [])];
  return checked.map((image, index) => {
    const plan = planImage(image.probe.width, image.probe.height, target.profile, rules);
    if (images[index]!.oversizedImage === 'error') {
      const problem = oversizedProblem(
        { path: image.path, kind: images[index]!.source.kind, width: plan.width, height: plan.height },
        profiles,
        rules,
      );
      if (problem !== null) throw invalidRequest(problem);
    }
    return { ...image, plan };
  });
}
