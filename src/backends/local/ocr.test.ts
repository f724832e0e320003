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
    const first = expect(engine.recognise(image)).rejects.toThrow('the OCR engine was closed');
    await engine.close();
    await first;
    await expect(engine.recognise(image)).resolves.toEqual({ lines: [], dropped: 0 });
    await engine.close();
  });
});

describe('cancelling a read', () => {
  /** Black text on white: `HELLO SIGHTLINE 2026` at (40, 60) on 800×200. */
  async function textPng(): Promise<{ png: Buffer; width: number; height: number }> {
    const rendered = await sharp({ text: { text: 'HELLO SIGHTLINE 2026', font: 'sans', dpi: 300 } })
      .negate({ alpha: false })
      .png()
      .toBuffer();
    const { width = 0, height = 0 } = await sharp(rendered).metadata();
    const png = await sharp({ create: { width: 800, height: 200, channels: 3, background: '#ffffff' } })
      .composite([{ input: rendered, left: 40, top: 60 }])
      .png()
      .toBuffer();
    return { png, width, height };
  }

  it('a queued read leaves the queue, a running one stops (its worker replaced); boxes are in image pixels', {
    timeout: 120_000,
  }, async () => {
    const { png, width, height } = await textPng();
    const engine = createOcrEngine();
    try {
      await engine.recognise(png); // the worker has started: the first read below is handed to it at once
      const running = new AbortController();
      const queued = new AbortController();
      const first = engine.recognise(png, running.signal);
      const second = engine.recognise(png, queued.signal);
      const third = engine.recognise(png);
      expect(engine.pending).toBe(3);

      queued.abort(new Error('client left (queued)'));
      await expect(second).rejects.toThrow('client left (queued)');
      expect(engine.pending).toBe(2);
      running.abort(new Error('client left (running)'));
      await expect(first).rejects.toThrow('client left (running)');

      const reading = await third; // read by a new worker
      expect(engine.pending).toBe(0);
      expect(reading.lines.map((line) => line.text)).toEqual(['HELLO SIGHTLINE 2026']);
      const [line] = reading.lines;
      const tolerance = 4;
      expect(line?.box.x0).toBeGreaterThanOrEqual(40 - tolerance);
      expect(line?.box.y0).toBeGreaterThanOrEqual(60 - tolerance);
      expect(line?.box.x1).toBeLessThanOrEqual(40 + width + tolerance);
      expect(line?.box.y1).toBeLessThanOrEqual(60 + height + tolerance);
      expect(line?.box.x1).toBeGreaterThan(40 + width / 2);

      const aborted = new AbortController();
      aborted.abort(new Error('gone already'));
      await expect(engine.recognise(png, aborted.signal)).rejects.toThrow('gone already');
    } finally {
      await engine.close();
    }
  });
});
