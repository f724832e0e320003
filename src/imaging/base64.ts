// Base64 in and out of the pipeline (docs/rules/pipeline.md §3). Checking: Node's decoder silently skips invalid characters, so the
// alphabet is checked first — by a char-code loop (a flat regex is 3× slower on megabytes; a grouped one
// overflows the stack). Encoding: memoised per buffer, so a cached model view is encoded once however
// many requests re-send it.

const ALPHABET = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') {
  ALPHABET[character.charCodeAt(0)] = 1;
}
const EQUALS = 61;

/** Standard alphabet, length a multiple of 4, at most two `=` and only at the end (no whitespace, no data: prefix). */
export function isStrictBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === EQUALS) end -= 1;
  if (end > 0 && text.charCodeAt(end - 1) === EQUALS) end -= 1;
  for (let index = 0; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 128 || ALPHABET[code] === 0) return false;
  }
  return true;
}

export const decodeBase64 = (text: string): Buffer => Buffer.from(text, 'base64');

const encoded = new WeakMap<Buffer, string>();

/** The base64 of a buffer, computed once per buffer object. */
export function base64Of(bytes: Buffer): string {
  let text = encoded.get(bytes);
  if (text === undefined) {
    text = bytes.toString('base64');
    encoded.set(bytes, text);
  }
  return text;
}
