// Turns a tesseract.js page into clean text lines: trimmed, with boxes in the pixels of the image
// that was read, dropping empty, symbol-only and low-confidence lines (stricter for short fragments,
// which is what Tesseract hallucinates in textures and photos). Pure.
import type { Page } from 'tesseract.js';

export interface OcrLine {
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
  /** Bounding box in the pixels of the image read (model-view pixels here); x1/y1 exclusive. */
  box: { x0: number; y0: number; x1: number; y1: number };
}

export const DEFAULT_MINIMUM_CONFIDENCE = 40;
/** Lines whose longest run of letters/digits is shorter than 3 need at least this confidence. */
export const SHORT_LINE_MINIMUM_CONFIDENCE = 70;

function longestAlphanumericRun(text: string): number {
  return Math.max(0, ...(text.match(/[\p{L}\p{N}]+/gu) ?? []).map((run) => Array.from(run).length));
}

export function readOcrLines(page: Page, minimumConfidence = DEFAULT_MINIMUM_CONFIDENCE): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = line.text.replace(/\s+/g, ' ').trim();
        const longestRun = longestAlphanumericRun(text);
        if (longestRun === 0 || line.confidence < minimumConfidence) continue;
        if (longestRun < 3 && line.confidence < Math.max(minimumConfidence, SHORT_LINE_MINIMUM_CONFIDENCE))
          continue;
        const { x0, y0, x1, y1 } = line.bbox;
        lines.push({ text, confidence: line.confidence, box: { x0, y0, x1, y1 } });
      }
    }
  }
  return lines;
}
