// Tests that the OCR language data is found on disk, never fetched, and that closing the engine in the
// middle of a read never crashes the process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createOcrEngine, defaultOcrLanguagePath, languageDataIsGzipped } from './ocr.js';

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

describe('closing the OCR engine during a read', () => {
  // 0: the job is still queued; 1–200 ms: the worker is starting (it takes a few hundred ms).
  it.each([0, 1, 50, 200])(
    'closed %i ms after recognise: the read settles, no unhandled rejection, no worker left',
    async (delayMs) => {
      const image = await sharp({ create: { width: 200, height: 60, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const engine = createOcrEngine();
        const outcome = engine.recognise(image).then(
          () => 'resolved',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        );
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        await engine.close();
        expect(['resolved', 'the OCR engine was closed']).toContain(await outcome);
        // let a stray rejection (or a worker started after close) show itself
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(unhandled).toEqual([]);
        expect(process.getActiveResourcesInfo()).not.toContain('MessagePort');
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    },
  );

  it('a read after close starts a new worker', async () => {
    const image = await sharp({ create: { width: 200, height: 60, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const engine = createOcrEngine();
    const first = engine.recognise(image);
    await engine.close();
    await expect(first).rejects.toThrow('the OCR engine was closed');
    await expect(engine.recognise(image)).resolves.toEqual({ lines: [], dropped: 0 });
    await engine.close();
  });
});
