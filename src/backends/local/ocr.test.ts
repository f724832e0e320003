// Tests that the OCR language data is found on disk, never fetched.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOcrLanguagePath, languageDataIsGzipped } from './ocr.js';

describe('OCR language data', () => {
  it('is found on disk in the installed @tesseract.js-data/eng package (LSTM best_int, gzipped)', () => {
    const languagePath = defaultOcrLanguagePath();
    expect(path.isAbsolute(languagePath)).toBe(true);
    expect(languagePath.endsWith(path.join('@tesseract.js-data', 'eng', '4.0.0_best_int'))).toBe(true);
    expect(existsSync(path.join(languagePath, 'eng.traineddata.gz'))).toBe(true);
    expect(languageDataIsGzipped(languagePath)).toBe(true);
  });

  it('names the folder when it holds no data', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sightline-ocr-'));
    try {
      expect(() => languageDataIsGzipped(empty)).toThrow(empty);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
