// Tests the traineddata check against the installed English data and hand-made broken tables.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findLanguageDataProblem } from './check-language-data.js';
import { defaultOcrLanguagePath } from './ocr.js';

function table(offsets: number[]): Uint8Array {
  const data = Buffer.alloc(4 + offsets.length * 8 + 16);
  data.writeInt32LE(offsets.length, 0);
  offsets.forEach((offset, index) => {
    data.writeBigInt64LE(BigInt(offset), 4 + index * 8);
  });
  return data;
}

describe('findLanguageDataProblem', () => {
  it('accepts the installed LSTM English data', () => {
    const data = gunzipSync(readFileSync(path.join(defaultOcrLanguagePath(), 'eng.traineddata.gz')));
    expect(findLanguageDataProblem(data)).toBeUndefined();
  });

  it('refuses bytes that are not traineddata', () => {
    expect(findLanguageDataProblem(Buffer.from('ga'))).toMatch(/too short/);
    expect(findLanguageDataProblem(Buffer.from('garbage\n'))).toMatch(/bad component table/);
  });

  it('refuses traineddata without an LSTM model', () => {
    const noLstm = Array.from({ length: 24 }, (_, index) => (index === 1 ? 200 : -1));
    expect(findLanguageDataProblem(table(noLstm))).toMatch(/no LSTM model/);
    expect(findLanguageDataProblem(table([200, 300]))).toMatch(/no LSTM model/);
  });
});
