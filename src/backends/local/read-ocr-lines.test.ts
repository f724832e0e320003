// Tests the clean-up of tesseract.js pages into confident text lines grouped in paragraphs.
import type { Page } from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import { readOcrLines } from './read-ocr-lines.js';

interface FakeLine {
  text: string;
  confidence: number;
  /** baseline y; lines 20 px apart by default */
  baseline?: number;
  block?: number;
}

/** A page of lines (row height 20 px), in blocks numbered from 0. */
function page(lines: FakeLine[]): Page {
  const blocks: Array<{ paragraphs: Array<{ lines: unknown[] }> }> = [];
  lines.forEach((line, index) => {
    const baseline = line.baseline ?? 40 + index * 20;
    const block = line.block ?? 0;
    while (blocks.length <= block) blocks.push({ paragraphs: [{ lines: [] }] });
    blocks[block]?.paragraphs[0]?.lines.push({
      text: line.text,
      confidence: line.confidence,
      bbox: { x0: 10, y0: baseline - 15, x1: 110, y1: baseline + 5 },
      baseline: { x0: 10, y0: baseline, x1: 110, y1: baseline },
      rowAttributes: { rowHeight: 20, ascenders: 5, descenders: 5 },
      words: [],
    });
  });
  return { blocks } as unknown as Page;
}

const texts = (reading: ReturnType<typeof readOcrLines>) => reading.lines.map((line) => line.text);

describe('readOcrLines', () => {
  it('keeps confident lines, trimmed, with their boxes', () => {
    expect(readOcrLines(page([{ text: '  Hello   world\n', confidence: 91 }]))).toEqual({
      lines: [
        {
          text: 'Hello world',
          confidence: 91,
          box: { x0: 10, y0: 25, x1: 110, y1: 45 },
          startsParagraph: true,
        },
      ],
      dropped: 0,
    });
  });

  it('drops empty, symbol-only, low-confidence lines and unsure short fragments, and counts them', () => {
    const reading = readOcrLines(
      page([
        { text: '   \n', confidence: 95 },
        { text: '| — ~', confidence: 95 },
        { text: 'Invoice total', confidence: 39 },
        { text: 'xd y 2 3', confidence: 60 },
        { text: 'OK', confidence: 86 },
        { text: 'Invoice total due', confidence: 61 },
        { text: 'oft bhi right', confidence: 52 }, // short and unsure: what photos give
        { text: 'PASS src/backends/local/read-ocr-lines.test.ts 9ms', confidence: 51 }, // long: kept
      ]),
    );
    expect(texts(reading)).toEqual([
      'OK',
      'Invoice total due',
      'PASS src/backends/local/read-ocr-lines.test.ts 9ms',
    ]);
    expect(reading.dropped).toBe(3); // symbol-only and empty lines are not text, not counted
  });

  it('keeps only very confident lines on a page that is mostly noise (a photo)', () => {
    const reading = readOcrLines(
      page([
        { text: 'Ee jak 8', confidence: 21 },
        { text: 'ace. Op HHS', confidence: 39 },
        { text: 'SELL a', confidence: 10 },
        { text: 'Faden on WE', confidence: 24 },
        { text: 'Gk doy FEES', confidence: 43 },
        { text: 'a long fragment of garbage text', confidence: 48 },
        { text: 'STOP', confidence: 88 },
      ]),
    );
    expect(texts(reading)).toEqual(['STOP']);
    expect(reading.dropped).toBe(6);
  });

  it('starts a paragraph after a blank line, in a new block, or back up the page', () => {
    const reading = readOcrLines(
      page([
        { text: 'first line', confidence: 90, baseline: 40 },
        { text: 'second line', confidence: 90, baseline: 60 },
        { text: 'after a gap', confidence: 90, baseline: 100 },
        { text: 'other column', confidence: 90, baseline: 40, block: 1 },
        { text: 'next to it', confidence: 90, baseline: 62, block: 1 },
      ]),
    );
    expect(reading.lines.map((line) => line.startsParagraph)).toEqual([true, false, true, true, false]);
  });

  it('honours a custom threshold and a page without blocks', () => {
    expect(readOcrLines(page([{ text: 'Invoice', confidence: 50 }]), 60).lines).toEqual([]);
    expect(readOcrLines({ blocks: null } as unknown as Page)).toEqual({ lines: [], dropped: 0 });
  });
});
