// Strict base64 checking: Node's decoder silently skips invalid characters, so we check first
// with a flat regex (a grouped one overflows the stack on multi-megabyte input).
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

export function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64_ALPHABET.test(text);
}

export const decodeBase64 = (text: string): Buffer => Buffer.from(text, 'base64');
