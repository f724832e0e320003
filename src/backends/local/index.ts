// Sightline's built-in offline engine: the default backend when no model is configured. It measures
// each image (size, tokens, brightness, colours) and reads its text with OCR, and says so honestly.

import { createLruCache } from '../../imaging/index.js';
import type { Backend, BackendEvent, BackendRequest, PreparedImage } from '../types.js';
import { type AnswerImage, composeImageAnswer, composeNoImageAnswer } from './compose-answer.js';
import { findImages } from './find-images.js';
import { limitOutput, splitIntoChunks } from './limit-output.js';
import { type ImageMeasures, measureImage } from './measure-image.js';
import { createOcrEngine } from './ocr.js';
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
  /** OCR lines below this confidence (0–100) are dropped; default 40. */
  minimumOcrConfidence?: number;
  /** How many images' measures are kept in memory (by content hash); default 32, 0 disables. */
  measuresCacheSize?: number;
}

const DEFAULT_CACHE_SIZE = 32;

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
  // the shared LRU, bounded by entry count: each entry weighs 1
  const cache = createLruCache<ImageMeasures>(settings.measuresCacheSize ?? DEFAULT_CACHE_SIZE);

  const measureWithCache = async (image: PreparedImage): Promise<ImageMeasures> => {
    const key = viewContentKey(image);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const measures = await measureImage(image, ocr);
    if (measures.text.status !== 'failed') cache.set(key, measures, 1);
    return measures;
  };

  const composeAnswer = async (request: BackendRequest): Promise<string> => {
    const found = findImages(request.body, request.images);
    if (found.length === 0) return composeNoImageAnswer(request.body.messages.length, request.inputTokens);
    const images: AnswerImage[] = [];
    for (const [index, { prepared }] of found.entries()) {
      request.signal.throwIfAborted();
      const number = index + 1;
      if (prepared === undefined) {
        images.push({ number, prepared, measures: undefined, problem: 'the server prepared no view for it' });
        continue;
      }
      try {
        images.push({ number, prepared, measures: await measureWithCache(prepared) });
      } catch (error) {
        const problem = `its model view could not be decoded (${error instanceof Error ? error.message : String(error)})`;
        images.push({ number, prepared, measures: undefined, problem });
      }
    }
    return composeImageAnswer(images);
  };

  async function* generate(request: BackendRequest): AsyncGenerator<BackendEvent> {
    request.signal.throwIfAborted();
    // Under way at once: the client gets its message_start before the images are measured.
    yield { type: 'start' };
    const { body } = request;
    // With no token budget nothing would be shown, so nothing is measured.
    const answer = body.max_tokens <= 0 ? '' : await composeAnswer(request);
    const output = limitOutput(answer, {
      maxTokens: body.max_tokens,
      stopSequences: body.stop_sequences ?? [],
    });
    for (const chunk of splitIntoChunks(output.text)) {
      request.signal.throwIfAborted();
      yield { type: 'text_delta', text: chunk };
    }
    request.signal.throwIfAborted();
    yield {
      type: 'end',
      stopReason: output.stopReason,
      stopSequence: output.stopSequence,
      usage: { outputTokens: output.outputTokens },
    };
  }

  return {
    name: settings.name ?? 'local',
    generate,
    close: async () => {
      await ocr?.close();
    },
  };
}
