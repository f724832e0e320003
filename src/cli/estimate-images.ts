// The core of `sightline estimate`: probes image headers only (the first 64 KiB, the whole file only
// when the header lies beyond), applies the vision.md §2 limits, and totals tokens and cost per model.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { CatalogModel } from '../catalog/index.js';
import {
  type ImageFormat,
  type ImageProbe,
  MANY_IMAGES_MAX_SIDE,
  MANY_IMAGES_THRESHOLD,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_SIDE,
  planImage,
  probeImage,
  sniffFormat,
  usdForInputTokens,
} from '../imaging/index.js';

export const PROBE_PREFIX_BYTES = 64 * 1024;
/** A file whose header is not in its first 64 KiB is read whole only up to this size. */
export const MAX_WHOLE_READ_BYTES = 256 * 1024 * 1024;

export interface ProbedFile {
  path: string;
  bytes: number;
  probe: ImageProbe | null;
  /** the format by magic numbers, even when the header could not be read */
  sniffed: ImageFormat | null;
  /** the prefix was not enough: the whole file was read */
  readWhole: boolean;
}

/**
 * Probes one file from its first bytes; `buffer` (≥ 64 KiB) may be reused between calls. Synchronous on
 * purpose: open/fstat/read/close on a warm cache cost microseconds, far less than four thread-pool hops.
 */
export function probeFile(path: string, buffer = Buffer.allocUnsafe(PROBE_PREFIX_BYTES)): ProbedFile {
  const descriptor = openSync(path, 'r');
  let bytes: number;
  let prefix: Buffer;
  try {
    bytes = fstatSync(descriptor).size;
    const bytesRead = readSync(descriptor, buffer, 0, Math.min(PROBE_PREFIX_BYTES, buffer.length, bytes), 0);
    prefix = buffer.subarray(0, bytesRead);
  } finally {
    closeSync(descriptor);
  }
  const sniffed = sniffFormat(prefix);
  let probe = sniffed === null ? null : probeImage(prefix);
  let readWhole = false;
  if (probe === null && sniffed !== null && bytes > prefix.length && bytes <= MAX_WHOLE_READ_BYTES) {
    probe = probeImage(readFileSync(path));
    readWhole = true;
  }
  return { path, bytes, probe, sniffed, readWhole };
}

export interface ImageEstimate {
  path: string;
  bytes: number;
  format: ImageFormat | null;
  width: number | null;
  height: number | null;
  /** why the API would refuse this image in any request (vision.md §2 wording); null if accepted */
  rejected: string | null;
  /** accepted alone, but refused in a request with more than 20 images (a side over 2000 px) */
  refusedInManyImageRequests: boolean;
  /** as a base64 source the encoded string would pass the 5 MB cap (file and URL sources are fine) */
  tooLargeAsBase64: boolean;
  /** tokens per model id (empty when rejected) */
  tokens: Record<string, number>;
}

export const MANY_IMAGES_RULE = `would be rejected in a request with more than ${MANY_IMAGES_THRESHOLD} images: At least one of the image dimensions exceed max allowed size for many-image requests: ${MANY_IMAGES_MAX_SIDE} pixels`;

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

/** The verdict and tokens for one probed file. Pure. */
export function assessImage(file: ProbedFile, models: readonly CatalogModel[]): ImageEstimate {
  const { probe } = file;
  let rejected: string | null = null;
  if (file.bytes > MAX_IMAGE_BYTES)
    rejected = `image exceeds 5 MB maximum: ${file.bytes} bytes > ${MAX_IMAGE_BYTES} bytes`;
  else if (file.sniffed === null) rejected = 'Could not process image: not a JPEG, PNG, GIF or WebP image';
  else if (probe === null) rejected = `Could not process image: the ${file.sniffed} header could not be read`;
  else if (probe.width > MAX_IMAGE_SIDE || probe.height > MAX_IMAGE_SIDE)
    rejected = `At least one of the image dimensions exceed max allowed size: ${MAX_IMAGE_SIDE} pixels`;
  const tokens: Record<string, number> = {};
  if (rejected === null && probe)
    for (const model of models) tokens[model.id] = planImage(probe.width, probe.height, model.profile).tokens;
  return {
    path: file.path,
    bytes: file.bytes,
    format: probe?.format ?? file.sniffed,
    width: probe?.width ?? null,
    height: probe?.height ?? null,
    rejected,
    refusedInManyImageRequests:
      rejected === null &&
      probe !== null &&
      (probe.width > MANY_IMAGES_MAX_SIDE || probe.height > MANY_IMAGES_MAX_SIDE),
    tooLargeAsBase64: rejected === null && base64Length(file.bytes) > MAX_IMAGE_BYTES,
    tokens,
  };
}

export interface ModelTotal {
  model: string;
  images: number;
  tokens: number;
  cost_usd: number;
}

export interface EstimateSummary {
  files: number;
  accepted: number;
  rejected: number;
  models: ModelTotal[];
  /** the 5 largest images by pixel count */
  largest: ImageEstimate[];
  rejectedImages: ImageEstimate[];
  refusedInManyImageRequests: ImageEstimate[];
  tooLargeAsBase64: ImageEstimate[];
}

export const LARGEST_COUNT = 5;

/** Totals per model, the largest images and the refusals. Pure. */
export function summarizeEstimates(
  estimates: readonly ImageEstimate[],
  models: readonly CatalogModel[],
): EstimateSummary {
  const accepted = estimates.filter((estimate) => estimate.rejected === null);
  const pixels = (estimate: ImageEstimate) => (estimate.width ?? 0) * (estimate.height ?? 0);
  return {
    files: estimates.length,
    accepted: accepted.length,
    rejected: estimates.length - accepted.length,
    models: models.map((model) => {
      const tokens = accepted.reduce((sum, estimate) => sum + (estimate.tokens[model.id] ?? 0), 0);
      return {
        model: model.id,
        images: accepted.length,
        tokens,
        cost_usd: Number(usdForInputTokens(tokens, model).toFixed(6)),
      };
    }),
    largest: estimates
      .filter((estimate) => estimate.width !== null)
      .sort((a, b) => pixels(b) - pixels(a) || b.bytes - a.bytes)
      .slice(0, LARGEST_COUNT),
    rejectedImages: estimates.filter((estimate) => estimate.rejected !== null),
    refusedInManyImageRequests: estimates.filter((estimate) => estimate.refusedInManyImageRequests),
    tooLargeAsBase64: estimates.filter((estimate) => estimate.tooLargeAsBase64),
  };
}

export interface EstimateOptions {
  models: readonly CatalogModel[];
  /** called after each file with (done, total) */
  onProgress?: (done: number, total: number) => void;
  /** give the event loop a turn (a progress bar, a signal) after this many milliseconds of probing */
  yieldEveryMilliseconds?: number;
}

const unreadable = (path: string, error: unknown): ImageEstimate => ({
  path,
  bytes: 0,
  format: null,
  width: null,
  height: null,
  rejected: `could not be read: ${(error as Error).message}`,
  refusedInManyImageRequests: false,
  tooLargeAsBase64: false,
  tokens: {},
});

/** Probes and assesses every file, in order. An unreadable file is rejected, not thrown. */
export async function estimateImages(
  paths: readonly string[],
  options: EstimateOptions,
): Promise<ImageEstimate[]> {
  const results: ImageEstimate[] = [];
  const buffer = Buffer.allocUnsafe(PROBE_PREFIX_BYTES);
  const slice = options.yieldEveryMilliseconds ?? 50;
  let sliceStart = performance.now();
  for (const path of paths) {
    try {
      results.push(assessImage(probeFile(path, buffer), options.models));
    } catch (error) {
      results.push(unreadable(path, error));
    }
    options.onProgress?.(results.length, paths.length);
    if (performance.now() - sliceStart >= slice) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return results;
}
