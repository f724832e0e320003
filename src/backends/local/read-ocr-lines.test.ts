// Tests the clean-up of tesseract.js pages into confident text lines.
import type { Page } from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import { readOcrLines } from './read-ocr-lines.js';

function page(lines: Array<{ text: string; confidence: number }>): Page {
  const bbox = { x0: 10, y0: 20, x1: 110, y1: 40 };
  return {
    blocks: [{ paragraphs: [{ lines: lines.map((line) => ({ ...line, bbox, words: [] })) }] }],
  } as unknown as Page;
}

describe('readOcrLines', () => {
  it('keeps confident lines, trimmed, with their boxes', () => {
    expect(readOcrLines(page([{ text: '  Hello   world\n', confidence: 91 }]))).toEqual([
      { text: 'Hello world', confidence: 91, box: { x0: 10, y0: 20, x1: 110, y1: 40 } },
    ]);
  });

  it('drops empty, symbol-only, low-confidence lines and unsure short fragments', () => {
    const lines = readOcrLines(
      page([
        { text: '   \n', confidence: 95 },
        { text: '| — ~', confidence: 95 },
        { text: 'Invoice total', confidence: 39 },
        { text: 'xd y 2 3', confidence: 60 },
        { text: 'OK', confidence: 86 },
        { text: 'Invoice total', confidence: 41 },
      ]),
    );
    expect(lines.map((line) => line.text)).toEqual(['OK', 'Invoice total']);
  });

  it('honours a custom threshold and a page without blocks', () => {
    expect(readOcrLines(page([{ text: 'Invoice', confidence: 50 }]), 60)).toEqual([]);
    expect(readOcrLines({ blocks: null } as unknown as Page)).toEqual([]);
  });
});
