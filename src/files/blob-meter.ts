// What both blob stores learn from an upload's bytes as they pass: the size (bounded), the SHA-256 and
// the first bytes (for sniffing the media type).
import { createHash } from 'node:crypto';
import { BlobTooLargeError, type StoredBlob } from './types.js';

const HEAD_BYTES = 8192;

export interface BlobMeter {
  /** Counts, hashes and keeps the head of one chunk; throws BlobTooLargeError past `maxBytes`. */
  add(chunk: Buffer): void;
  /** Once every chunk is added: the blob's hash, size and head. */
  blob(): StoredBlob;
}

export function createBlobMeter(maxBytes: number): BlobMeter {
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let sizeBytes = 0;
  return {
    add(chunk) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) throw new BlobTooLargeError(`more than ${maxBytes} bytes`);
      hash.update(chunk);
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
      }
    },
    blob: () => ({ sha256: hash.digest('hex'), sizeBytes, head: Buffer.concat(headChunks) }),
  };
}
