// The image pipeline with its cache (docs/rules/images.md §12, docs/rules/pipeline.md §5): the same bytes are not hashed, probed or rendered twice
// while cached, and a base64 string seen before skips its own checking and decoding. Views are keyed by
// the SHA-256 of the image bytes; sources are found by a cheap fingerprint and confirmed exactly.
import { createHash } from 'node:crypto';
import { decodeBase64, isStrictBase64 } from './base64.js';
import { createLruCache } from './cache.js';
import { TEXT_SAFE_JPEG_QUALITY } from './encode-view.js';
import type { ImagePlan } from './plan.js';
import { probeImage } from './probe.js';
import { type RenderedView, type RenderOptions, renderModelView } from './render.js';
import {
  type DecodedImage,
  type ImageSourceInput,
  type ImageToValidate,
  type ValidatedImage,
  type ValidationTarget,
  validateImages,
} from './validate.js';

/** Views shared between servers (Redis): asked on a local miss before rendering; told each new render. */
export interface SharedViewStore {
  /** undefined on a miss or when the store cannot answer (the view is then rendered) */
  get(key: string): Promise<RenderedView | undefined>;
  /** stores in the background; never throws */
  set(key: string, view: RenderedView): void;
}

export interface ImagePipelineOptions {
  /** Upper bound of the in-memory cache (default 256 MiB). */
  cacheBytes?: number;
  render?: RenderOptions;
  sharedViews?: SharedViewStore;
}

/** What one upstream needs of a view (see RenderOptions). */
export type ViewTarget = Pick<RenderOptions, 'pad' | 'format' | 'maxBase64Bytes' | 'keepOriginal'>;

export interface PreparedView {
  image: ValidatedImage;
  view: RenderedView;
}

export interface ImagePipeline {
  /** Bytes, content hash and header probe of a source; null for invalid base64. Cached. */
  decodeSource(source: ImageSourceInput): DecodedImage | null;
  /** docs/rules/images.md §3 checks over all images of a request, in order; throws the first ApiError. */
  validate(images: readonly ImageToValidate[], target: ValidationTarget): ValidatedImage[];
  /**
   * The model view of one validated image, for one upstream's needs (padding, format, byte limit, whether
   * the original may be sent as is); unset fields take the pipeline's render options. Cached by content
   * hash, plan and every option that changes the bytes.
   */
  render(
    image: Pick<ValidatedImage, 'decoded' | 'plan' | 'probe'>,
    options?: ViewTarget,
  ): Promise<RenderedView>;
  /** validate, then render every image (identical images render once). */
  prepare(images: readonly ImageToValidate[], target: ValidationTarget): Promise<PreparedView[]>;
  readonly cacheStats: { entries: number; bytes: number; hits: number; misses: number; evictions: number };
  clearCache(): void;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

const ENTRY_OVERHEAD = 512;
const WINDOW = 4096;

/**
 * A cheap index into the cache: the length and a few sampled windows (start, middle, end). It only finds
 * a candidate; a hit is confirmed by comparing the whole source exactly, so a crafted collision can cost
 * a miss but never return another image. The SHA-256 content hash is computed on misses only.
 */
function fingerprint(data: string | Buffer): string {
  const hash = createHash('sha1').update(String(data.length));
  const middle = Math.max(0, Math.floor(data.length / 2) - WINDOW / 2);
  for (const start of [0, middle, Math.max(0, data.length - WINDOW)]) {
    const window = data.slice(start, start + WINDOW);
    if (typeof window === 'string') hash.update(window, 'latin1');
    else hash.update(window);
  }
  return hash.digest('hex');
}

interface Base64Entry {
  data: string;
  decoded: DecodedImage;
}

export function createImagePipeline(options: ImagePipelineOptions = {}): ImagePipeline {
  const renderOptions = options.render ?? {};
  const cache = createLruCache<Base64Entry | DecodedImage | RenderedView>(
    options.cacheBytes ?? 256 * 1024 * 1024,
  );
  const inFlight = new Map<string, Promise<RenderedView>>();
  const shared = options.sharedViews;
  /** Every option that changes a view's bytes is in its key. */
  const viewKey = (hash: string, plan: ImagePlan, target: Required<ViewTarget>): string =>
    [
      'view',
      hash,
      `${plan.viewWidth}x${plan.viewHeight}`,
      target.format,
      renderOptions.quality ?? TEXT_SAFE_JPEG_QUALITY,
      renderOptions.autoOrient ? 'oriented' : 'stored',
      target.pad ? 'padded' : 'unpadded',
      Number.isFinite(target.maxBase64Bytes) ? `max${target.maxBase64Bytes}` : 'unlimited',
      target.keepOriginal ? 'original-ok' : 'rendered',
    ].join(':');

  const decodeBytes = (bytes: Buffer): DecodedImage => {
    const probe = probeImage(bytes);
    // With auto-orientation on, plan on the displayed size: orientations 5–8 swap the sides.
    const oriented =
      probe && renderOptions.autoOrient && probe.orientation >= 5
        ? { ...probe, width: probe.height, height: probe.width }
        : probe;
    return { bytes, hash: sha256(bytes), probe: oriented };
  };

  function decodeSource(source: ImageSourceInput): DecodedImage | null {
    if (source.kind !== 'base64') {
      const key = `bytes:${fingerprint(source.bytes)}`;
      const cached = cache.get(key) as DecodedImage | undefined;
      if (cached?.bytes.equals(source.bytes)) return cached;
      const decoded = decodeBytes(source.bytes);
      cache.set(key, decoded, decoded.bytes.length + ENTRY_OVERHEAD);
      return decoded;
    }
    // A string seen before (compared whole, so its base64 was checked then) skips checking and decoding.
    const key = `b64:${fingerprint(source.data)}`;
    const cached = cache.get(key) as Base64Entry | undefined;
    if (cached?.data === source.data) return cached.decoded;
    if (!isStrictBase64(source.data)) return null;
    const decoded = decodeBytes(decodeBase64(source.data));
    cache.set(
      key,
      { data: source.data, decoded },
      source.data.length + decoded.bytes.length + ENTRY_OVERHEAD,
    );
    return decoded;
  }

  function render(
    image: Pick<ValidatedImage, 'decoded' | 'plan' | 'probe'>,
    options: ViewTarget = {},
  ): Promise<RenderedView> {
    const plan: ImagePlan = image.plan;
    const target: Required<ViewTarget> = {
      pad: options.pad ?? true,
      format: options.format ?? renderOptions.format ?? 'png',
      maxBase64Bytes: options.maxBase64Bytes ?? renderOptions.maxBase64Bytes ?? Number.POSITIVE_INFINITY,
      keepOriginal: options.keepOriginal ?? renderOptions.keepOriginal ?? false,
    };
    const key = viewKey(image.decoded.hash, plan, target);
    const cached = cache.get(key) as RenderedView | undefined;
    if (cached) return Promise.resolve(cached);
    const pending = inFlight.get(key);
    if (pending) return pending;
    const fresh = async (): Promise<RenderedView> => {
      const view = await renderModelView(image.decoded.bytes, plan, image.probe.hasAlpha, {
        ...renderOptions,
        ...target,
      });
      shared?.set(key, view);
      return view;
    };
    const rendering = (shared ? shared.get(key).then((view) => view ?? fresh()) : fresh())
      .then((view) => {
        cache.set(key, view, view.data.length + ENTRY_OVERHEAD);
        return view;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, rendering);
    return rendering;
  }

  return {
    decodeSource,
    validate: (images, target) => validateImages(images, target, decodeSource),
    render,
    async prepare(images, target) {
      const validated = validateImages(images, target, decodeSource);
      const views = await Promise.all(validated.map((image) => render(image)));
      return validated.map((image, index) => ({ image, view: views[index]! }));
    },
    cacheStats: cache.stats,
    clearCache: () => cache.clear(),
  };
}
