// The OCR transport: one tesseract.js worker with English data read from disk (never the network),
// created lazily on first use, shared by all requests one page at a time, terminated by `close()`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { findLanguageDataProblem } from './check-language-data.js';
import { DEFAULT_MINIMUM_CONFIDENCE, type OcrLine, readOcrLines } from './read-ocr-lines.js';

const OCR_LANGUAGE = 'eng';

export interface OcrEngine {
  /** Reads the text lines of a PNG/JPEG image; boxes are in that image's pixels. */
  recognise(image: Buffer): Promise<OcrLine[]>;
  /** Terminates the worker (if started); pending reads reject. A later read starts a new worker. */
  close(): Promise<void>;
}

export interface OcrSettings {
  /** Folder holding `eng.traineddata.gz` or `eng.traineddata`; default: @tesseract.js-data/eng, LSTM "best_int". */
  languagePath?: string;
  minimumConfidence?: number;
}

/** The `4.0.0_best_int` folder (LSTM-only English data) of the installed @tesseract.js-data/eng package. */
export function defaultOcrLanguagePath(): string {
  const require = createRequire(import.meta.url);
  const packageFolder = path.dirname(require.resolve('@tesseract.js-data/eng/package.json'));
  return path.join(packageFolder, '4.0.0_best_int');
}

/** Whether the language folder holds gzipped data; throws when it holds none. */
export function languageDataIsGzipped(languagePath: string): boolean {
  if (existsSync(path.join(languagePath, `${OCR_LANGUAGE}.traineddata.gz`))) return true;
  if (existsSync(path.join(languagePath, `${OCR_LANGUAGE}.traineddata`))) return false;
  throw new Error(`no ${OCR_LANGUAGE}.traineddata(.gz) in ${languagePath}`);
}

/** Reads and checks the language data first: tesseract.js cannot report bad data without hanging. */
async function checkLanguageData(languagePath: string, gzipped: boolean): Promise<void> {
  const file = path.join(languagePath, `${OCR_LANGUAGE}.traineddata${gzipped ? '.gz' : ''}`);
  let data: Uint8Array = await readFile(file);
  if (gzipped) {
    try {
      data = await promisify(gunzip)(data);
    } catch (error) {
      throw new Error(`${file} is not gzip data`, { cause: error });
    }
  }
  const problem = findLanguageDataProblem(data);
  if (problem !== undefined) throw new Error(`${file}: ${problem}`);
}

async function startWorker(languagePath: string): Promise<Worker> {
  const gzipped = languageDataIsGzipped(languagePath);
  await checkLanguageData(languagePath, gzipped);
  const worker = await createWorker(OCR_LANGUAGE, OEM.LSTM_ONLY, {
    langPath: languagePath,
    gzip: gzipped,
    cacheMethod: 'none',
    // Without a handler tesseract.js throws worker errors from an event handler (a process crash);
    // the failing job's promise still rejects.
    errorHandler: () => {},
  });
  // Views carry no DPI; tell Tesseract a screen resolution instead of letting it guess (and warn).
  await worker.setParameters({ user_defined_dpi: '72' });
  return worker;
}

export function createOcrEngine(settings: OcrSettings = {}): OcrEngine {
  const minimumConfidence = settings.minimumConfidence ?? DEFAULT_MINIMUM_CONFIDENCE;
  let worker: Promise<Worker> | undefined;
  let queueTail: Promise<void> = Promise.resolve();
  /** Bumped by `close()`: a job of an older generation must not touch (or start) a worker. */
  let generation = 0;
  const pendingRejections = new Set<(error: Error) => void>();
  const closedError = (): Error => new Error('the OCR engine was closed');

  const getWorker = (): Promise<Worker> => {
    if (worker === undefined) {
      const languagePath = settings.languagePath ?? defaultOcrLanguagePath();
      const starting = startWorker(languagePath);
      worker = starting;
      starting.catch(() => {
        if (worker === starting) worker = undefined; // let the next read retry
      });
    }
    return worker;
  };

  const recognise = (image: Buffer): Promise<OcrLine[]> => {
    const jobGeneration = generation;
    const job = queueTail.then(async () => {
      // Closed while queued: do not start a worker nobody would terminate.
      if (generation !== jobGeneration) throw closedError();
      const current = await getWorker();
      // Closed while the worker was starting: it is being terminated, and tesseract.js would crash the
      // process (an unhandled rejection from postMessage on a terminated worker) if it were used now.
      if (generation !== jobGeneration) throw closedError();
      const result = await current.recognize(image, {}, { blocks: true, text: false });
      return readOcrLines(result.data, minimumConfidence);
    });
    queueTail = job.then(
      () => undefined,
      () => undefined,
    );
    return new Promise<OcrLine[]>((resolve, reject) => {
      pendingRejections.add(reject);
      job.then(resolve, reject).finally(() => pendingRejections.delete(reject));
    });
  };

  const close = async (): Promise<void> => {
    generation += 1;
    const current = worker;
    const jobsSettled = queueTail;
    worker = undefined;
    queueTail = Promise.resolve();
    for (const reject of pendingRejections) reject(closedError());
    pendingRejections.clear();
    // The running job finishes (or fails) on the worker before it is terminated; queued ones fail at once.
    await jobsSettled;
    if (current === undefined) return;
    try {
      await (await current).terminate();
    } catch {
      // the worker never started: nothing to terminate
    }
  };

  return { recognise, close };
}
