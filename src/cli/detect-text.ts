// Whether `@path` inlines a file as text or as base64 (docs/rules/cli.md §6): the subset of Go's
// http.DetectContentType that decides "text/*" on the first 512 bytes, plus a whole-file UTF-8 check. Pure.
import { isUtf8 } from 'node:buffer';

const SNIFF_LENGTH = 512;

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

/** Signatures Go sniffs as a non-text type even though their first bytes are printable. */
const BINARY_SIGNATURES: readonly (readonly (number | null)[])[] = [
  ascii('%PDF-'),
  ascii('%!PS-Adobe-'),
  ascii('GIF87a'),
  ascii('GIF89a'),
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0xff, 0xd8, 0xff],
  ascii('BM'),
  [...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')],
  [...ascii('RIFF'), null, null, null, null, ...ascii('WAVE')],
  [...ascii('RIFF'), null, null, null, null, ...ascii('AVI ')],
  [...ascii('FORM'), null, null, null, null, ...ascii('AIFF')],
  ascii('ID3'),
  ascii('OggS'),
  ascii('MThd'),
  ascii('wOFF'),
  ascii('wOF2'),
  ascii('PK'),
  [0x1f, 0x8b, 0x08],
  [0x00, 0x61, 0x73, 0x6d],
];

const matches = (bytes: Uint8Array, signature: readonly (number | null)[]): boolean =>
  bytes.length >= signature.length &&
  signature.every((value, index) => value === null || bytes[index] === value);

/** Go's "binary data" bytes: a control character other than TAB, LF, FF, CR and ESC. */
const isBinaryByte = (byte: number): boolean =>
  byte <= 0x08 || byte === 0x0b || (byte >= 0x0e && byte <= 0x1a) || (byte >= 0x1c && byte <= 0x1f);

/** True when the first 512 bytes sniff as text/* (plain, html, xml, or a UTF BOM). */
export function sniffsAsText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_LENGTH);
  if (matches(head, [0xfe, 0xff]) || matches(head, [0xff, 0xfe]) || matches(head, [0xef, 0xbb, 0xbf]))
    return true;
  if (BINARY_SIGNATURES.some((signature) => matches(head, signature))) return false;
  return !head.some(isBinaryByte);
}

/** `@path` inserts a file as text only when it sniffs as text and every byte is valid UTF-8. */
export const isUtf8TextFile = (bytes: Uint8Array): boolean => sniffsAsText(bytes) && isUtf8(bytes);
