// Measures one prepared image: brightness, transparency and dominant colours of its content area,
// and (optionally) its text read by OCR on that area, so boxes come out in model-view pixels.
import type { PreparedImage } from '../types.js';
import { type BrightnessWord, brightnessWord, flattenOverWhite, meanLuma } from './measure-brightness.js';
import { type DominantColour, dominantColours } from './measure-colours.js';
import type { OcrEngine } from './ocr.js';
import type { OcrLine } from './read-ocr-lines.js';
import { encodePng, makeThumbnail, readContentPixels, sampleColours } from './read-pixels.js';

export type TextReading =
  | { status: 'read'; lines: OcrLine[] }
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
  text: TextReading;
}

export async function measureImage(image: PreparedImage, ocr: OcrEngine | undefined): Promise<ImageMeasures> {
  const content = await readContentPixels(image.view);
  const { rgb, transparentPixels } = flattenOverWhite(content.rgba);
  const luma = meanLuma(rgb);
  const thumbnail = await makeThumbnail(rgb, content.width, content.height);
  let text: TextReading = { status: 'off' };
  if (ocr !== undefined) {
    try {
      text = {
        status: 'read',
        lines: await ocr.recognise(await encodePng(rgb, content.width, content.height)),
      };
    } catch (error) {
      text = { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }
  return {
    meanLuma: luma,
    brightness: brightnessWord(Math.round(luma)), // the word agrees with the rounded number shown
    transparentPercent: (transparentPixels / (content.width * content.height)) * 100,
    colours: dominantColours(await sampleColours(rgb, content.width, content.height)),
    thumbnail,
    text,
  };
}
