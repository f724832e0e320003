// Reading a whole upstream body within the response cap: an answer past the cap is a failure, an
// error body past it is only cut short (its status is what the client needs).
import type { Readable } from 'node:stream';
import type { ApiError } from '../../errors/index.js';

/** The whole body as UTF-8 text; past `maxBytes` it throws `tooLarge()`, a read failure `fail(error)`. */
export async function readCappedText(
  body: Readable,
  maxBytes: number,
  tooLarge: () => ApiError,
  fail: (error: unknown) => ApiError,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).byteLength;
      if (total > maxBytes) throw tooLarge(); // leaving the loop hangs up on the upstream
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw fail(error);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** At most the first `maxBytes` of the body as UTF-8 text; the rest, or a read failure, ends it. */
export async function readPrefix(body: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      chunks.push(bytes.subarray(0, maxBytes - total));
      total += bytes.byteLength;
      if (total >= maxBytes) break;
    }
  } catch {
    // what arrived before the failure is all there is to read
  }
  return Buffer.concat(chunks).toString('utf8');
}
