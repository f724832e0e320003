// Turns a tesseract.js page into clean text lines grouped in paragraphs: trimmed, with boxes in the
// pixels of the image that was read, dropping what Tesseract reads into photos and textures. Pure.
//
// The confidence rules were measured on this engine's own output (tesseract.js 7, LSTM best_int):
// on photos (the libvips sample photos, photo-like noise) Tesseract finds many fragments, nearly all
// under 40 %, the rest between 40 and 52 % ("oft bhi right" 52 %, "EEN" 51 %, "Gk doy FEES" 43 %),
// all short; on a terminal screenshot every real line scores 42–95 %, the ones under 60 % being long
// lines with a few misread characters. Hence:
// - a line needs `minimumConfidence` (default 40 %);
// - a line under 60 % is kept only when it holds at least 16 letters or digits (garbage is short);
// - a line whose longest run of letters/digits is under 3 needs 70 % (lone fragments like "Ee :");
// - a page where most lines are under the minimum is a photo or a texture: there only lines of 70 %
//   or more are kept (a sign or caption in a photo reads far above that).
import type { Page } from 'tesseract.js';

export interface OcrLine {
  text: string;
  /** Tesseract's confidence, 0–100. */
  confidence: number;
  /** Bounding box in the pixels of the image read (model-view pixels here); x1/y1 exclusive. */
  box: { x0: number; y0: number; x1: number; y1: number };
  /** True for the first line of a paragraph (a new text block, or a gap of a blank line or more above). */
  startsParagraph: boolean;
}

export interface OcrReading {
  /** Kept lines, in reading order. */
  lines: OcrLine[];
  /** Lines with letters or digits that were dropped as low-confidence noise. */
  dropped: number;
}

export const DEFAULT_MINIMUM_CONFIDENCE = 40;
/** Lines under this confidence are kept only with at least UNSURE_LINE_MINIMUM_CHARACTERS letters/digits. */
export const UNSURE_LINE_CONFIDENCE = 60;
export const UNSURE_LINE_MINIMUM_CHARACTERS = 16;
/** Lines whose longest run of letters/digits is shorter than 3 need at least this confidence. */
export const SHORT_LINE_MINIMUM_CONFIDENCE = 70;
/** On a page where most lines are under the minimum (a photo, a texture), lines need this confidence. */
export const NOISY_PAGE_MINIMUM_CONFIDENCE = 70;
/** A baseline this many row heights below the previous one leaves a blank line: a new paragraph. */
const PARAGRAPH_GAP_ROW_HEIGHTS = 1.5;

function alphanumericRuns(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

interface Candidate {
  text: string;
  confidence: number;
  box: OcrLine['box'];
  block: number;
  baseline: number;
  rowHeight: number;
  longestRun: number;
  characters: number;
}

function candidatesOf(page: Page): Candidate[] {
  const candidates: Candidate[] = [];
  (page.blocks ?? []).forEach((block, blockIndex) => {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const text = line.text.replace(/\s+/g, ' ').trim();
        const runs = alphanumericRuns(text).map((run) => Array.from(run).length);
        if (runs.length === 0) continue; // empty or symbols only: not text at all
        const { x0, y0, x1, y1 } = line.bbox;
        candidates.push({
          text,
          confidence: line.confidence,
          box: { x0, y0, x1, y1 },
          block: blockIndex,
          baseline: line.baseline ? (line.baseline.y0 + line.baseline.y1) / 2 : y1,
          rowHeight: line.rowAttributes?.rowHeight || y1 - y0,
          longestRun: Math.max(...runs),
          characters: runs.reduce((sum, run) => sum + run, 0),
        });
      }
    }
  });
  return candidates;
}

export function readOcrLines(page: Page, minimumConfidence = DEFAULT_MINIMUM_CONFIDENCE): OcrReading {
  const candidates = candidatesOf(page);
  const unsure = candidates.filter((candidate) => candidate.confidence < minimumConfidence).length;
  const noisyPage = unsure * 2 > candidates.length;
  const keeps = (candidate: Candidate): boolean => {
    const { confidence } = candidate;
    if (confidence < minimumConfidence) return false;
    if (noisyPage && confidence < NOISY_PAGE_MINIMUM_CONFIDENCE) return false;
    if (candidate.longestRun < 3 && confidence < SHORT_LINE_MINIMUM_CONFIDENCE) return false;
    if (confidence < UNSURE_LINE_CONFIDENCE && candidate.characters < UNSURE_LINE_MINIMUM_CHARACTERS)
      return false;
    return true;
  };
  const lines: OcrLine[] = [];
  let previous: Candidate | undefined;
  for (const candidate of candidates) {
    if (!keeps(candidate)) continue;
    const startsParagraph =
      previous === undefined ||
      previous.block !== candidate.block ||
      candidate.baseline <= previous.baseline || // back up the page: another column
      candidate.baseline - previous.baseline > PARAGRAPH_GAP_ROW_HEIGHTS * candidate.rowHeight;
    lines.push({
      text: candidate.text,
      confidence: candidate.confidence,
      box: candidate.box,
      startsParagraph,
    });
    previous = candidate;
  }
  return { lines, dropped: candidates.length - lines.length };
}
