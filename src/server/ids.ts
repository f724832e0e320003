// Opaque ids in the API's style: a prefix and 24 base62 characters (`req_…`, `msg_…`, `file_…`).
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function createId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % 62];
  return `${prefix}_011C${id.slice(4)}`;
}
