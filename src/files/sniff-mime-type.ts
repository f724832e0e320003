// A stored file's `mime_type` comes from its bytes (then its extension), never from the upload's part header.
import { extname } from 'node:path';
import { MEDIA_TYPES, sniffFormat } from '../imaging/index.js';

const TEXT_EXTENSIONS: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.html': 'text/html',
  '.xml': 'application/xml',
};

const isUtf8Text = (head: Buffer): boolean => {
  if (head.includes(0)) return false;
  // a multi-byte character may be cut at the end of the head: ignore up to 3 trailing bytes
  for (let cut = 0; cut <= Math.min(3, head.length); cut += 1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return true;
    } catch {}
  }
  return false;
};

export function sniffMimeType(head: Buffer, filename: string): string {
  const image = sniffFormat(head);
  if (image) return MEDIA_TYPES[image];
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  const extension = extname(filename).toLowerCase();
  if (head.length > 0 && isUtf8Text(head)) return TEXT_EXTENSIONS[extension] ?? 'text/plain';
  return 'application/octet-stream';
}
