// Sightline's built-in offline engine: the default backend when no model is configured. It measures
// each image (size, tokens, brightness, colours) and reads its text with OCR, and says so honestly.
// The answer streams as it is made: an opening line at once, a line per image as it is measured, each
// image's text as its OCR finishes. OCR is slow (seconds a screenshot, one page at a time), so requests
// that need it queue for it, a bounded number of them (past it: 529 overloaded_error); a request whose
// client leaves gives up its place and stops its OCR.

import { overloaded, throwIfCancelled } from '../../errors/index.js';
import { createLruCache } from '../../imaging/index.js';
import { listPromptImages } from '../prompt/index.js';
import type { Backend, BackendEvent, BackendRequest } from '../types.js';
import {
  type AnswerImage,
  comparisonSection,
  composeNoImageAnswer,
  HONESTY_LINE,
  measurementLine,
  openingLine,
  textSection,
} from './compose-answer.js';
import { createOutputLimiter, splitIntoChunks } from './limit-output.js';
import { type ImageMeasures, measureImage, ocrInputOf, readText, type TextReading } from './measure-image.js';
import { createOcrEngine } from './ocr.js';
import { createRequestQueue } from './request-queue.js';
import { viewContentKey } from './view-content-key.js';

export { HONESTY_LINE } from './compose-answer.js';
export { defaultOcrLanguagePath } from './ocr.js';

export interface LocalBackendSettings {
  /** Backend name; default `local`. */
  name?: string;
  /** Read text with OCR (tesseract.js, English); default true. */
  ocr?: boolean;
  /** Folder holding `eng.traineddata.gz` or `eng.traineddata`; default: the @tesseract.js-data/eng package. */
  ocrLanguagePath?: string;
  /** OCR lines below this confidence (0–100) are dropped; default 40 (see read-ocr-lines.ts for the rest). */
  minimumOcrConfidence?: number;
  /** How many images' measures and text are kept in memory (by content hash); default 32, 0 disables. */
  measuresCacheSize?: number;
  /**
   * How many requests may wait for OCR behind the one being read; one more is answered
   * `529 overloaded_error`. Default 8.
   */
  queueSize?: number;
}

const DEFAULT_CACHE_SIZE = 32;
export const DEFAULT_QUEUE_SIZE = 8;
/** OCR inputs (PNG) kept between measuring and reading, per request; past it they are made again. */
const KEPT_OCR_INPUT_BYTES = 64 * 1024 * 1024;

interface CachedImage {
  measures: ImageMeasures;
  /** Set once read successfully. */
  text?: TextReading;
}

export function createLocalBackend(settings: LocalBackendSettings = {}): Backend {
  const ocr =
    settings.ocr === false
      ? undefined
      : createOcrEngine({
          ...(settings.ocrLanguagePath === undefined ? {} : { languagePath: settings.ocrLanguagePath }),
          ...(settings.minimumOcrConfidence === undefined
            ? {}
            : { minimumConfidence: settings.minimumOcrConfidence }),
        });
  const queueSize = settings.queueSize ?? DEFAULT_QUEUE_SIZE;
  const queue = createRequestQueue(queueSize + 1); // the one being read, and those waiting
  // the shared LRU, bounded by entry count: each entry weighs 1
  const cache = createLruCache<CachedImage>(settings.measuresCacheSize ?? DEFAULT_CACHE_SIZE);

  async function* generate(request: BackendRequest): AsyncGenerator<BackendEvent> {
    const { prompt, settings, signal } = request;
    throwIfCancelled(signal);
    const limiter = createOutputLimiter({
      maxTokens: settings.maxTokens,
      stopSequences: settings.stopSequences ?? [],
    });
    const found = listPromptImages(prompt).map(({ image }, index) => ({
      number: index + 1,
      prepared: image,
      key: viewContentKey(image),
    }));
    const needsOcr =
      ocr !== undefined &&
      limiter.stopped === false &&
      found.some(({ key }) => cache.get(key)?.text === undefined);
    // Decided before anything is sent, so a full queue is a plain HTTP 529 the client can retry.
    const place = needsOcr ? queue.enter() : undefined;
    if (needsOcr && place === undefined) {
      throw overloaded(
        `Overloaded: the built-in engine is reading text for ${queueSize + 1} requests; retry shortly`,
      );
    }
    // A client that leaves gives its place back at once, wherever its answer is.
    if (place !== undefined) signal.addEventListener('abort', () => place.leave(), { once: true });
    /** Sends a piece of the answer through the limits, a stream chunk per line. */
    function* send(text: string): Generator<BackendEvent> {
      for (const chunk of splitIntoChunks(limiter.push(text))) yield { type: 'text_delta', text: chunk };
    }
    try {
      // Accepted: the client gets its message_start now, before any image is measured.
      yield { type: 'start' };
      if (found.length === 0) {
        yield* send(composeNoImageAnswer(prompt.turns.length, request.inputTokens));
      } else {
        yield* send(`${openingLine(found.length)}\n\n`);
        const images: AnswerImage[] = [];
        const ocrInputs = new Map<number, Promise<Buffer>>();
        let keptBytes = 0;
        // Measuring is fast: a line per image before any OCR.
        for (const { number, prepared, key } of found) {
          if (limiter.stopped) break;
          throwIfCancelled(signal);
          const image: AnswerImage = { number, prepared, measures: undefined };
          try {
            let cached = cache.get(key);
            if (cached === undefined) {
              const keepOcrInput = needsOcr && keptBytes < KEPT_OCR_INPUT_BYTES;
              const measured = await measureImage(prepared, keepOcrInput);
              cached = { measures: measured.measures };
              cache.set(key, cached, 1);
              const bytes = prepared.view.data.length; // about the size of the OCR PNG
              if (measured.ocrInput !== undefined) {
                ocrInputs.set(number, measured.ocrInput);
                keptBytes += bytes;
              }
            }
            image.measures = cached.measures;
            if (cached.text !== undefined) image.text = cached.text;
          } catch (error) {
            image.problem = `its model view could not be decoded (${error instanceof Error ? error.message : String(error)})`;
          }
          images.push(image);
          yield* send(`${measurementLine(image)}\n`);
        }
        // Reading text is slow: each image's text as soon as it is read.
        for (const image of images) {
          const { prepared, measures } = image;
          if (limiter.stopped) break;
          if (measures === undefined) continue;
          if (ocr === undefined) image.text = { status: 'off' };
          else if (image.text === undefined) {
            image.text = await readText(ocrInputs.get(image.number) ?? ocrInputOf(prepared), ocr, signal);
            ocrInputs.delete(image.number);
            const key = found[image.number - 1]?.key;
            const cached = key === undefined ? undefined : cache.get(key);
            if (cached !== undefined && image.text.status === 'read') cached.text = image.text;
          }
          yield* send(`\n${textSection(image.number, image.text)}\n`);
        }
        place?.leave();
        const comparison = comparisonSection(images);
        if (comparison !== '') yield* send(`\n${comparison}\n`);
        yield* send(`\n${HONESTY_LINE}`);
      }
    } finally {
      place?.leave();
    }
    const ending = limiter.finish();
    yield* splitIntoChunks(ending.text).map((text): BackendEvent => ({ type: 'text_delta', text }));
    throwIfCancelled(signal);
    yield {
      type: 'end',
      stopReason: ending.stopReason,
      stopSequence: ending.stopSequence,
      usage: { outputTokens: ending.outputTokens },
    };
  }

  return {
    name: settings.name ?? 'local',
    generate,
    close: async () => {
      await ocr?.close();
    },
    get queued() {
      return queue.taken;
    },
  };
}
