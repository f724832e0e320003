// The core of `sightline estimate`: probes image headers only (the first 64 KiB, the whole file only
// when the header lies beyond), applies the image checks (imaging/checks.ts, the server's own) under one or
// more revisions of the rules, and totals tokens and cost per model.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { CatalogModel } from '../catalog/index.js';
import {
  byteSizeProblem,
  DEFAULT_VISION_RULES,
  type ImageFormat,
  type ImageProbe,
  imageProblem,
  MANY_IMAGES_THRESHOLD,
  manyImagesProblem,
  maxImageBytesFor,
  planImage,
  probeImage,
  sniffFormat,
  usdForInputTokens,
  type VisionRules,
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
  /** the revision of the image rules this verdict and these tokens follow */
  rules: VisionRules;
  path: string;
  bytes: number;
  format: ImageFormat | null;
  width: number | null;
  height: number | null;
  /** why the API would refuse this image in any request (the API's wording); null if accepted */
  rejected: string | null;
  /** accepted alone, but refused in a request with more than 20 images (a side over 2000 px) */
  refusedInManyImageRequests: boolean;
  /** as a base64 source the encoded string would pass the byte cap (file and URL sources are fine) */
  tooLargeAsBase64: boolean;
  /** tokens per model id (empty when rejected) */
  tokens: Record<string, number>;
}

const manyImagesMessage = manyImagesProblem(
  { path: '', kind: 'file', probe: { format: 'png', width: Number.MAX_SAFE_INTEGER, height: 1 } },
  MANY_IMAGES_THRESHOLD + 1,
);
export const MANY_IMAGES_RULE = `would be rejected in a request with more than ${MANY_IMAGES_THRESHOLD} images: ${manyImagesMessage}`;

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3);

/** The verdict and tokens for one probed file under one revision of the rules (default 2026-09). Pure. */
export function assessImage(
  file: ProbedFile,
  models: readonly CatalogModel[],
  rules: VisionRules = DEFAULT_VISION_RULES,
): ImageEstimate {
  const { probe } = file;
  const maxImageBytes = maxImageBytesFor(rules);
  const facts = { path: '', kind: 'file' as const, size: file.bytes, probe };
  let rejected = imageProblem(facts, { maxImageBytes });
  // the CLI says why an image could not be processed, where the API says only that it could not
  if (rejected !== null && probe === null && byteSizeProblem(facts, maxImageBytes) === null)
    rejected =
      file.sniffed === null
        ? `${rejected}: not a JPEG, PNG, GIF or WebP image`
        : `${rejected}: the ${file.sniffed} header could not be read`;
  const tokens: Record<string, number> = {};
  if (rejected === null && probe)
    for (const model of models)
      tokens[model.id] = planImage(probe.width, probe.height, model.profile, rules).tokens;
  return {
    rules,
    path: file.path,
    bytes: file.bytes,
    format: probe?.format ?? file.sniffed,
    width: probe?.width ?? null,
    height: probe?.height ?? null,
    rejected,
    refusedInManyImageRequests:
      rejected === null && manyImagesProblem(facts, MANY_IMAGES_THRESHOLD + 1) !== null,
    tooLargeAsBase64:
      rejected === null &&
      byteSizeProblem({ ...facts, kind: 'base64', size: base64Length(file.bytes) }, maxImageBytes) !== null,
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
  rules: VisionRules;
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
  rules: VisionRules = estimates[0]?.rules ?? DEFAULT_VISION_RULES,
): EstimateSummary {
  const accepted = estimates.filter((estimate) => estimate.rejected === null);
  const pixels = (estimate: ImageEstimate) => (estimate.width ?? 0) * (estimate.height ?? 0);
  return {
    rules,
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
  /** the revisions of the rules to assess under (default: 2026-09); each file is probed once */
  rules?: readonly VisionRules[];
  /** called after each file with (done, total) */
  onProgress?: (done: number, total: number) => void;
  /** give the event loop a turn (a progress bar, a signal) after this many milliseconds of probing */
  yieldEveryMilliseconds?: number;
}

const unreadable = (path: string, error: unknown, rules: VisionRules): ImageEstimate => ({
  rules,
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

/**
 * Probes every file once and assesses it under each revision of `options.rules`, in order: one list of
 * estimates per revision. An unreadable file is rejected, not thrown.
 */
export async function estimateImagesByRules(
  paths: readonly string[],
  options: EstimateOptions,
): Promise<ImageEstimate[][]> {
  const revisions = options.rules?.length ? options.rules : [DEFAULT_VISION_RULES];
  const results: ImageEstimate[][] = revisions.map(() => []);
  const buffer = Buffer.allocUnsafe(PROBE_PREFIX_BYTES);
  const slice = options.yieldEveryMilliseconds ?? 50;
  let sliceStart = performance.now();
  for (const [done, path] of paths.entries()) {
    let file: ProbedFile | undefined;
    let failure: unknown;
    try {
      file = probeFile(path, buffer);
    } catch (error) {
      failure = error;
    }
    revisions.forEach((rules, index) => {
      results[index]!.push(
        file ? assessImage(file, options.models, rules) : unreadable(path, failure, rules),
      );
    });
    options.onProgress?.(done + 1, paths.length);
    if (performance.now() - sliceStart >= slice) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return results;
}

/** Probes and assesses every file under the first revision of `options.rules` (default 2026-09). */
export async function estimateImages(
  paths: readonly string[],
  options: EstimateOptions,
): Promise<ImageEstimate[]> {
  const [first] = await estimateImagesByRules(paths, {
    ...options,
    rules: [options.rules?.[0] ?? DEFAULT_VISION_RULES],
  });
  return first!;
}
