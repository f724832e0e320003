// One server-wide budget for the memory that images take while requests are served: downloaded and
// stored sources, base64 decoded from bodies, pixel buffers while decoding, rendered views. Per-request
// caps alone let a few concurrent requests take gigabytes (50 url images of 5 MB each, 8000×8000 GIFs of
// 44 KB that decode to 256 MB). Past the budget a request waits briefly for room, then gets
// `529 overloaded_error` (the SDKs retry it), instead of the process growing without bound.
import { overloaded } from '../errors/index.js';
import type { ImagePipeline } from '../imaging/index.js';
import type { SourceResolvers } from './prepare-images.js';

export interface ImageBudget {
  /** A request's share: reservations add up until `release`, which returns them all. */
  lease(signal?: AbortSignal): ImageLease;
  /** Bytes reserved now, across all requests. */
  readonly inUse: number;
}

export interface ImageLease {
  /** Waits for `bytes` of room (at most the budget's wait), else throws 529; returns a release of them. */
  reserve(bytes: number): Promise<() => void>;
  /** Charges bytes already in memory (never waits: they exist whatever the budget says). */
  add(bytes: number): void;
  /** Returns every reservation of this lease still held. */
  release(): void;
}

interface Waiter {
  bytes: number;
  grant(): void;
}

/** Bytes a decoded image takes in memory: RGBA pixels (libvips decodes to at most 4 bands of 8 bits). */
export const decodedBytes = (width: number, height: number): number => width * height * 4;

export function createImageBudget(options: { maxBytes: number; waitMs: number }): ImageBudget {
  let inUse = 0;
  const waiting: Waiter[] = [];

  // A reservation larger than the whole budget is granted when nothing else is held, so it can run at all.
  const fits = (bytes: number) => inUse + bytes <= options.maxBytes || inUse === 0;

  const wake = () => {
    while (waiting.length > 0 && fits(waiting[0]!.bytes)) {
      const next = waiting.shift()!;
      inUse += next.bytes;
      next.grant();
    }
  };

  const acquire = (bytes: number, signal?: AbortSignal): Promise<void> => {
    if (waiting.length === 0 && fits(bytes)) {
      inUse += bytes;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const leave = (error: unknown) => {
        const index = waiting.indexOf(waiter);
        if (index >= 0) waiting.splice(index, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
        wake(); // a large waiter leaving may let smaller ones through
      };
      const onAbort = () => leave(signal?.reason);
      const waiter: Waiter = {
        bytes,
        grant: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const timer = setTimeout(
        () => leave(overloaded('Overloaded: too many images are being processed; retry shortly')),
        options.waitMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(waiter);
    });
  };

  const giveBack = (bytes: number) => {
    inUse -= bytes;
    wake();
  };

  return {
    get inUse() {
      return inUse;
    },
    lease(signal) {
      const held = new Set<{ bytes: number }>();
      const release = () => {
        for (const reservation of held) giveBack(reservation.bytes);
        held.clear();
      };
      // A request whose client left holds nothing: whatever it reserved is returned when its signal
      // fires, and it is granted nothing after (else bytes reserved once the response had already
      // closed would never come back, and the budget would shrink for good).
      signal?.addEventListener('abort', release, { once: true });
      return {
        async reserve(bytes) {
          signal?.throwIfAborted();
          const reservation = { bytes: Math.max(0, Math.ceil(bytes)) };
          await acquire(reservation.bytes, signal);
          if (signal?.aborted) {
            giveBack(reservation.bytes);
            throw signal.reason;
          }
          held.add(reservation);
          return () => {
            if (held.delete(reservation)) giveBack(reservation.bytes);
          };
        },
        add(bytes) {
          if (signal?.aborted) return; // released already: nothing would give these back
          const reservation = { bytes: Math.max(0, Math.ceil(bytes)) };
          inUse += reservation.bytes;
          held.add(reservation);
        },
        release,
      };
    },
  };
}

/** Renders of one request charged at once: libuv's default thread pool, where sharp decodes. */
const RENDERS_AT_ONCE = 4;

/** A counting semaphore without deadline. */
function createSlots(size: number) {
  let free = size;
  const waiting: Array<() => void> = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free -= 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

/**
 * The resolvers and pipeline of one request, charging its lease: a url download reserves the 5 MB cap
 * before it starts, then keeps what arrived; a stored file its size; a render the decoded pixels while it
 * runs, then the view it produced. Held until the request's response is done (the backend uses them).
 */
export function chargeImageWork(
  lease: ImageLease,
  resolvers: SourceResolvers,
  pipeline: ImagePipeline,
  maxSourceBytes: number,
): { resolvers: SourceResolvers; pipeline: ImagePipeline } {
  const renderSlots = createSlots(RENDERS_AT_ONCE);
  return {
    resolvers: {
      async fetchUrl(url, signal) {
        const releaseCap = await lease.reserve(maxSourceBytes);
        try {
          const bytes = await resolvers.fetchUrl(url, signal);
          lease.add(bytes.length);
          return bytes;
        } finally {
          releaseCap();
        }
      },
      async findFile(workspace, fileId) {
        const file = await resolvers.findFile(workspace, fileId);
        if (!file) return file;
        return {
          ...file,
          read: async () => {
            await lease.reserve(file.sizeBytes);
            return file.read();
          },
        };
      },
    },
    pipeline: {
      validate: (images, target) => pipeline.validate(images, target),
      decodeSource: (source) => pipeline.decodeSource(source),
      prepare: (images, target) => pipeline.prepare(images, target),
      clearCache: () => pipeline.clearCache(),
      get cacheStats() {
        return pipeline.cacheStats;
      },
      async render(image, options) {
        // only a few renders of one request decode at once (sharp's thread pool): the others queue here,
        // without a deadline, so a 100-image request is not refused for its own queue
        await renderSlots.acquire();
        try {
          const releasePixels = await lease.reserve(decodedBytes(image.plan.width, image.plan.height));
          try {
            const view = await pipeline.render(image, options);
            lease.add(view.data.length);
            return view;
          } finally {
            releasePixels();
          }
        } finally {
          renderSlots.release();
        }
      },
    },
  };
}
