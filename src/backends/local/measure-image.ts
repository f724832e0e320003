// Measures one prepared image: brightness, transparency and dominant colours of its content area
// (fast, done first), and reads its text by OCR on that area (slow, queued), so boxes come out in
// model-view pixels.
import { throwIfCancelled } from '../../errors/index.js';
import type { PreparedImage } from '../types.js';
import { type BrightnessWord, brightnessWord, flattenOverWhite, meanLuma } from './measure-brightness.js';
import { type DominantColour, dominantColours } from './measure-colours.js';
import type { OcrEngine } from './ocr.js';
import type { OcrLine } from './read-ocr-lines.js';
import { encodePng, makeThumbnail, readContentPixels, sampleColours } from './read-pixels.js';

export type TextReading =
  | { status: 'read'; lines: OcrLine[]; dropped: number }
  | { status: 'off' }
  | { status: 'failed'; reason: string };

/** What the pixels of one image measure (independent of where the image sits in the request). */
export interface ImageMeasures {
  meanLuma: number;
  brightness: BrightnessWord;
  /** Share of content pixels with alpha below 128, 0–100 (measured over white otherwise). */
  transparentPercent: number;
  colours: DominantColour[];
  /** THUMBNAIL_SIZE² RGB pixels, for comparisons. */
  thumbnail: Uint8Array;
}

/** The content area flattened over white, as the PNG the OCR reads. */
async function contentOverWhite(image: PreparedImage) {
  const content = await readContentPixels(image.view);
  return { ...content, ...flattenOverWhite(content.rgba) };
}

/** Measures the pixels; with `forOcr`, also starts the PNG for OCR, since the content is decoded already. */
export async function measureImage(
  image: PreparedImage,
  forOcr: boolean,
): Promise<{ measures: ImageMeasures; ocrInput: Promise<Buffer> | undefined }> {
  const { rgb, width, height, transparentPixels } = await contentOverWhite(image);
  const luma = meanLuma(rgb);
  const measures: ImageMeasures = {
    meanLuma: luma,
    brightness: brightnessWord(Math.round(luma)), // the word agrees with the rounded number shown
    transparentPercent: (transparentPixels / (width * height)) * 100,
    colours: dominantColours(await sampleColours(rgb, width, height)),
    thumbnail: await makeThumbnail(rgb, width, height),
  };
  if (!forOcr) return { measures, ocrInput: undefined };
  const ocrInput = encodePng(rgb, width, height);
  ocrInput.catch(() => {}); // may never be awaited; a failure shows when it is
  return { measures, ocrInput };
}

/** The PNG the OCR reads, for an image whose measures came from the cache. */
export async function ocrInputOf(image: PreparedImage): Promise<Buffer> {
  const { rgb, width, height } = await contentOverWhite(image);
  return encodePng(rgb, width, height);
}

/** Reads the text; an OCR failure is reported as such, an abort (the client left) is RequestCancelledError. */
export async function readText(
  ocrInput: Promise<Buffer>,
  ocr: OcrEngine,
  signal: AbortSignal,
): Promise<TextReading> {
  try {
    const reading = await ocr.recognise(await ocrInput, signal);
    return { status: 'read', lines: reading.lines, dropped: reading.dropped };
  } catch (error) {
    throwIfCancelled(signal);
    return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}
