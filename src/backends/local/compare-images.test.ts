// Tests the pixel difference and the shared/unique OCR words between images.
import { describe, expect, it } from 'vitest';
import { compareWords, distinctWords, meanAbsoluteDifferencePercent } from './compare-images.js';

const box = { x0: 0, y0: 0, x1: 1, y1: 1 };

describe('meanAbsoluteDifferencePercent', () => {
  it('is 0 for equal pixels and 100 for black against white', () => {
    expect(meanAbsoluteDifferencePercent(Uint8Array.from([1, 2, 3]), Uint8Array.from([1, 2, 3]))).toBe(0);
    expect(meanAbsoluteDifferencePercent(Uint8Array.from([0, 0]), Uint8Array.from([255, 255]))).toBe(100);
    expect(meanAbsoluteDifferencePercent(Uint8Array.from([0, 0]), Uint8Array.from([255, 0]))).toBe(50);
  });

  it('refuses buffers of different sizes', () => {
    expect(() => meanAbsoluteDifferencePercent(new Uint8Array(3), new Uint8Array(6))).toThrow();
  });
});

describe('words', () => {
  it('collects distinct upper-cased words in order', () => {
    const lines = [
      { text: 'Total: 42 items', confidence: 90, box },
      { text: 'total 7', confidence: 90, box },
    ];
    expect(distinctWords(lines)).toEqual(['TOTAL', '42', 'ITEMS', '7']);
  });

  it('finds words shared by all images and words unique to each', () => {
    expect(
      compareWords([
        ['SAVE', 'CANCEL', 'FILE'],
        ['SAVE', 'FILE', 'EDIT'],
        ['SAVE', 'EDIT'],
      ]),
    ).toEqual({
      shared: ['SAVE'],
      unique: [['CANCEL'], [], []],
    });
    expect(compareWords([])).toEqual({ shared: [], unique: [] });
  });
});
