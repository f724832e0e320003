// The OCR transport: one tesseract.js worker with English data read from disk (never the network),
// created lazily on first use, shared by all requests one page at a time (first come, first served),
// terminated by `close()`. A read whose signal aborts leaves the queue at once; if its page is being
// read, the worker is terminated (Tesseract cannot stop a page) and the next read starts a new one.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { findLanguageDataProblem } from './check-language-data.js';
import { DEFAULT_MINIMUM_CONFIDENCE, type OcrReading, readOcrLines } from './read-ocr-lines.js';

const OCR_LANGUAGE = 'eng';

export interface OcrEngine {
  /**
   * Reads the text of a PNG/JPEG image (boxes in that image's pixels), after the reads queued before it.
   * Rejects with the signal's reason when it aborts, whether the read is queued or running.
   */
  recognise(image: Buffer, signal?: AbortSignal): Promise<OcrReading>;
  /** Reads queued or running, this one included. */
  readonly pending: number;
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

/** Terminates a worker once it has started (it may still be starting); a failed start needs nothing. */
function terminateWhenStarted(worker: Promise<Worker>): Promise<void> {
  return worker.then(
    (started) => started.terminate().then(() => undefined),
    () => undefined,
  );
}

interface Job {
  image: Buffer;
  resolve(reading: OcrReading): void;
  reject(error: unknown): void;
  /** Set once the page has been handed to the worker: cancelling then means terminating it. */
  reading: boolean;
}

export function createOcrEngine(settings: OcrSettings = {}): OcrEngine {
  const minimumConfidence = settings.minimumConfidence ?? DEFAULT_MINIMUM_CONFIDENCE;
  let worker: Promise<Worker> | undefined;
  const queue: Job[] = [];
  let running: Job | undefined;
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

  /** Drops the current worker (terminated once started); the next read starts a new one. */
  const recycleWorker = (): Promise<void> => {
    const current = worker;
    worker = undefined;
    return current === undefined ? Promise.resolve() : terminateWhenStarted(current);
  };

  const run = async (job: Job): Promise<void> => {
    try {
      const current = await getWorker();
      // Cancelled (or closed) while the worker was starting: a terminated worker must never be used, as
      // tesseract.js would crash the process (an unhandled rejection from postMessage).
      if (running !== job) return;
      job.reading = true;
      // `debug: true` sends Tesseract's own messages ("Image too small to scale!!", resolution warnings)
      // to the result instead of the console; nobody needs them.
      const result = await current.recognize(job.image, {}, { blocks: true, text: false, debug: true });
      if (running === job) job.resolve(readOcrLines(result.data, minimumConfidence));
    } catch (error) {
      if (running === job) job.reject(error);
    } finally {
      if (running === job) {
        running = undefined;
        pump();
      }
    }
  };

  const pump = (): void => {
    if (running !== undefined) return;
    const next = queue.shift();
    if (next === undefined) return;
    running = next;
    void run(next);
  };

  /** Takes a job out (queued or running) and rejects it; a page being read costs its worker. */
  const cancel = (job: Job, reason: unknown): void => {
    const index = queue.indexOf(job);
    if (index !== -1) queue.splice(index, 1);
    else if (running === job) {
      running = undefined;
      if (job.reading) void recycleWorker();
      pump();
    } else return; // already settled
    job.reject(reason);
  };

  const recognise = (image: Buffer, signal?: AbortSignal): Promise<OcrReading> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<OcrReading>((resolve, reject) => {
      const onAbort = (): void => cancel(job, signal?.reason);
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        image,
        reading: false,
        resolve: (reading) => {
          done();
          resolve(reading);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(job);
      pump();
    });
  };

  const close = async (): Promise<void> => {
    const jobs = [...(running === undefined ? [] : [running]), ...queue.splice(0)];
    running = undefined;
    for (const job of jobs) job.reject(closedError());
    await recycleWorker();
  };

  return {
    recognise,
    get pending() {
      return queue.length + (running === undefined ? 0 : 1);
    },
    close,
  };
}
