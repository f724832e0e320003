// Checks that bytes are Tesseract `.traineddata` holding an LSTM model, before a worker is given them:
// tesseract.js 7 hangs its start (and throws an uncaught error) when initialisation fails. Pure.

/** Index of the LSTM model in the traineddata component table (tessdatamanager.h, TESSDATA_LSTM). */
const LSTM_COMPONENT = 17;
const MAXIMUM_COMPONENTS = 100;

/** Returns why the data is unusable for LSTM OCR, or undefined when it looks right. */
export function findLanguageDataProblem(data: Uint8Array): string | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < 4) return 'the file is too short to be traineddata';
  const componentCount = view.getInt32(0, true);
  if (
    componentCount <= 0 ||
    componentCount > MAXIMUM_COMPONENTS ||
    4 + componentCount * 8 > data.byteLength
  ) {
    return 'the file is not traineddata (bad component table)';
  }
  if (componentCount <= LSTM_COMPONENT) return 'the traineddata has no LSTM model';
  const lstmOffset = view.getBigInt64(4 + LSTM_COMPONENT * 8, true);
  if (lstmOffset < 0n || lstmOffset >= BigInt(data.byteLength)) return 'the traineddata has no LSTM model';
  return undefined;
}
