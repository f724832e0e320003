// Turns a request's image blocks into validated, rendered images before any backend is called:
// url sources through the guarded fetcher, file sources from the workspace's store, then the
// docs/rules/images.md §3 checks in order, then the model views (cached by content hash).

import type { PreparedImage } from '../backends/types.js';
import type { CatalogModel } from '../catalog/index.js';
import { maxImagesFor } from '../catalog/index.js';
import { invalidRequest, notFound, requestTooLarge } from '../errors/index.js';
import {
  byteSizeProblem,
  type ImagePipeline,
  type ImagePlatform,
  type ImageToValidate,
  MEDIA_TYPES,
  maxImageBytesOf,
  type ValidationTarget,
  type ViewTarget,
  type VisionRules,
} from '../imaging/index.js';
import type { ImageScaleReport } from '../wire/index.js';
import type { ImageBlockRef } from './parse-messages-request.js';

export interface SourceResolvers {
  /** Downloads a url source (guarded: SSRF checks, size and time caps). */
  fetchUrl(url: string, signal?: AbortSignal): Promise<Buffer>;
  /** A stored file of this workspace; undefined when it does not exist for this workspace. */
  findFile(
    workspace: string,
    fileId: string,
  ): Promise<{ sizeBytes: number; mimeType: string; read(): Promise<Buffer> } | undefined>;
}

export interface PreparedImages {
  /** Each rendered image in request order, named by its JSON path. */
  images: PreparedImage[];
  reports: ImageScaleReport[];
  imageTokens: number;
}

const IMAGE_MIME_TYPES = new Set(Object.values(MEDIA_TYPES) as string[]);
const FETCH_CONCURRENCY = 8;

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Decision: the url and file sources of one request may bring at most this many bytes in all (each is
 * at most 10 MB), so one request cannot pin gigabytes: past it, 413 request_too_large.
 */
export const MAX_SOURCE_BYTES_PER_REQUEST = 256 * 1024 * 1024;

/** Reads url and file sources once per request, however often a request repeats them, within a budget. */
interface SourceMemo {
  reads: Map<string, Promise<Buffer>>;
  bytesLeft: number;
}

const newMemo = (): SourceMemo => ({ reads: new Map(), bytesLeft: MAX_SOURCE_BYTES_PER_REQUEST });

function spend(memo: SourceMemo, bytes: number): void {
  memo.bytesLeft -= bytes;
  if (memo.bytesLeft < 0) {
    throw requestTooLarge(
      `Images from url and file sources exceed ${MAX_SOURCE_BYTES_PER_REQUEST} bytes in one request`,
    );
  }
}

const once = (memo: SourceMemo, key: string, read: () => Promise<Buffer>): Promise<Buffer> => {
  let pending = memo.reads.get(key);
  if (!pending) {
    pending = read();
    memo.reads.set(key, pending);
  }
  return pending;
};

async function resolveSource(
  ref: ImageBlockRef,
  context: {
    workspace: string;
    resolvers: SourceResolvers;
    memo: SourceMemo;
    maxImageBytes: number;
    oversizedSources: 'all' | 'base64';
    signal?: AbortSignal | undefined;
  },
): Promise<ImageToValidate> {
  const { source } = ref.block;
  // `{}` and null mean "downsize"; count_tokens checks base64 images only (url and file at Messages time)
  const oversizedImage =
    context.oversizedSources === 'all' || source.type === 'base64'
      ? (ref.block.transformations?.oversized_image ?? undefined)
      : undefined;
  const common = { path: ref.path, oversizedImage };
  if (source.type === 'base64')
    return { ...common, source: { kind: 'base64', mediaType: source.media_type, data: source.data } };
  if (source.type === 'url') {
    const bytes = await once(context.memo, `url:${source.url}`, async () => {
      const fetched = await context.resolvers.fetchUrl(source.url, context.signal);
      spend(context.memo, fetched.length);
      return fetched;
    });
    return { ...common, source: { kind: 'url', bytes } };
  }
  const file = await context.resolvers.findFile(context.workspace, source.file_id);
  if (!file) throw notFound(`${ref.path}.image.source.file.file_id: File not found: ${source.file_id}`);
  if (!IMAGE_MIME_TYPES.has(file.mimeType)) {
    throw invalidRequest(
      `${ref.path}.image.source.file: File ${source.file_id} is ${file.mimeType}; image blocks take image/jpeg, image/png, image/gif or image/webp files`,
    );
  }
  // the per-image byte cap, from the metadata: a large stored file is never read into memory
  const tooLarge = byteSizeProblem(
    { path: ref.path, kind: 'file', size: file.sizeBytes },
    context.maxImageBytes,
  );
  if (tooLarge !== null) throw invalidRequest(tooLarge);
  const bytes = await once(context.memo, `file:${source.file_id}`, async () => {
    spend(context.memo, file.sizeBytes); // from the metadata, before reading
    return file.read();
  });
  return { ...common, source: { kind: 'file', bytes } };
}

/**
 * Resolves, validates and renders every image. Errors come in request order: an image's
 * own problem is reported before any later image's, whatever finished downloading first.
 */
export async function prepareImages(
  refs: readonly ImageBlockRef[],
  model: CatalogModel,
  context: {
    pipeline: ImagePipeline;
    resolvers: SourceResolvers;
    workspace: string;
    /**
     * What the upstream needs of each view: padding to the 28-px canvas (not for upstreams that pad on
     * their side), format, byte limit, whether the original may go as is.
     */
    view: ViewTarget;
    /** the revision of the image rules (default 2026-09) */
    rules?: VisionRules;
    /** where the model is served: Bedrock / Vertex AI take 5 MB per image (default anthropic) */
    platform?: ImagePlatform | undefined;
    /**
     * Which sources `oversized_image: "error"` applies to: all (Messages) or base64 only (count_tokens,
     * where url and file images are checked at Messages time).
     */
    oversizedSources?: 'all' | 'base64';
    signal?: AbortSignal;
  },
): Promise<PreparedImages> {
  const target: ValidationTarget = {
    id: model.id,
    profile: model.profile,
    maxImages: maxImagesFor(model),
    rules: context.rules,
    platform: context.platform,
  };
  const sourceContext = {
    ...context,
    maxImageBytes: maxImageBytesOf(target),
    oversizedSources: context.oversizedSources ?? 'all',
  };
  if (refs.length > target.maxImages) {
    // Decision: over the image count, no url or file source is fetched. The base64 images are still
    // checked in order first, so their own errors come before "Too much media".
    const inline = refs.filter((ref) => ref.block.source.type === 'base64');
    const memo = newMemo();
    const inputs = await Promise.all(inline.map((ref) => resolveSource(ref, { ...sourceContext, memo })));
    context.pipeline.validate(inputs, { ...target, maxImages: Number.POSITIVE_INFINITY });
    throw invalidRequest(`Too much media: 0 document pages + ${refs.length} images > ${target.maxImages}`);
  }
  const memo = newMemo();
  const settled = await mapWithConcurrency(refs, FETCH_CONCURRENCY, (ref) =>
    resolveSource(ref, { ...sourceContext, memo }),
  );
  const failed = settled.findIndex((result) => result.status === 'rejected');
  if (failed >= 0) {
    // images before the failed one are checked first, so their errors win
    const before = settled
      .slice(0, failed)
      .map((result) => (result as PromiseFulfilledResult<ImageToValidate>).value);
    context.pipeline.validate(before, { ...target, maxImages: Number.POSITIVE_INFINITY });
    const reason = (settled[failed] as PromiseRejectedResult).reason;
    throw reason; // an ApiError is the client's problem; anything else is ours: a logged 500, no details
  }
  const inputs = settled.map((result) => (result as PromiseFulfilledResult<ImageToValidate>).value);
  const validated = context.pipeline.validate(inputs, target);
  const views = await Promise.all(validated.map((image) => context.pipeline.render(image, context.view)));
  const images: PreparedImage[] = [];
  const reports: ImageScaleReport[] = [];
  let imageTokens = 0;
  validated.forEach((image, index) => {
    const { plan } = image;
    imageTokens += plan.tokens;
    reports.push({
      path: image.path,
      original_width: plan.width,
      original_height: plan.height,
      view_width: plan.viewWidth,
      view_height: plan.viewHeight,
      canvas_width: plan.canvasWidth,
      canvas_height: plan.canvasHeight,
      scale: Number(plan.scaleX.toFixed(6)),
      tokens: plan.tokens,
    });
    const view = views[index]!;
    images.push({
      path: image.path,
      original: {
        bytes: image.decoded.bytes,
        mediaType: MEDIA_TYPES[image.format],
        width: plan.width,
        height: plan.height,
      },
      view: {
        data: view.data,
        mediaType: view.mediaType,
        width: view.width,
        height: view.height,
        contentWidth: view.contentWidth,
        contentHeight: view.contentHeight,
      },
      tokens: plan.tokens,
    });
  });
  return { images, reports, imageTokens };
}

/**
 * The most bytes the `sightline-image-scales` header may take. Node's HTTP clients (and so the official
 * SDKs) refuse a response whose headers pass 16 KB; the full report always stays in
 * `usage.sightline.images`.
 */
export const SCALES_HEADER_BUDGET_BYTES = 8 * 1024;

/**
 * The `sightline-image-scales` header: `path=WxH>w'xh'` per image, comma-separated (docs/rules/images.md §10). Past
 * the budget it is summarised: the entries that fit, then `+N more in usage.sightline.images`.
 */
export function formatScalesHeader(
  reports: readonly ImageScaleReport[],
  budgetBytes = SCALES_HEADER_BUDGET_BYTES,
): string {
  const entries = reports.map(
    (r) => `${r.path}=${r.original_width}x${r.original_height}>${r.view_width}x${r.view_height}`,
  );
  const full = entries.join(', ');
  if (full.length <= budgetBytes) return full; // ASCII: characters are bytes
  const more = (count: number) => `+${count} more in usage.sightline.images`;
  const kept: string[] = [];
  let length = 0;
  for (const entry of entries) {
    const remaining = entries.length - kept.length - 1;
    const next = length + entry.length + 2;
    if (next + more(remaining).length > budgetBytes) break;
    kept.push(entry);
    length = next;
  }
  return [...kept, more(entries.length - kept.length)].join(', ');
}
