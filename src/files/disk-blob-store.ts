// Content-addressed blobs on local disk: `<root>/sha256/ab/abcdef…`. Each upload streams into a
// temporary file while being hashed, is flushed (fsync) and renamed into place, so a reader never
// sees a partial blob and identical uploads are stored once. Memory stays flat whatever the size.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { type BlobStore, BlobTooLargeError } from './types.js';

const HEAD_BYTES = 8192;
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Unreferenced blobs younger than this are kept: an upload of the same bytes may be about to use them. */
const GARBAGE_GRACE_MS = 10 * 60 * 1000;
/** A temporary file untouched for this long belongs to an upload that died. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

export function createDiskBlobStore(root: string, options: { graceMs?: number } = {}): BlobStore {
  const blobsDirectory = join(root, 'sha256');
  const temporaryDirectory = join(root, 'tmp');
  const trashDirectory = join(root, 'trash');
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(blobsDirectory, sha256.slice(0, 2), sha256);
  };
  const ready = (async () => {
    await mkdir(blobsDirectory, { recursive: true });
    await mkdir(temporaryDirectory, { recursive: true });
    await mkdir(trashDirectory, { recursive: true });
    // leftovers of uploads (or collections) cut short by a crash are never visible; removed at start once
    // stale (another process sharing this directory may be using the recent ones)
    for (const directory of [temporaryDirectory, trashDirectory]) {
      for (const name of await readdir(directory)) {
        const path = join(directory, name);
        const info = await stat(path).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(path).catch(() => {});
      }
    }
  })();

  async function syncDirectory(path: string) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    async write(source, maxBytes) {
      await ready;
      const temporary = join(temporaryDirectory, `${Date.now()}-${randomBytes(8).toString('hex')}`);
      const handle = await open(temporary, 'wx');
      const hash = createHash('sha256');
      const headChunks: Buffer[] = [];
      let headLength = 0;
      let sizeBytes = 0;
      let kept = false;
      // chunks arrive in tens of KiB: written in batches of about 1 MiB, one writev each
      let batch: Buffer[] = [];
      let batchBytes = 0;
      const flush = async () => {
        if (batch.length > 0) await handle.writev(batch);
        batch = [];
        batchBytes = 0;
      };
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          sizeBytes += chunk.length;
          if (sizeBytes > maxBytes) throw new BlobTooLargeError(`more than ${maxBytes} bytes`);
          hash.update(chunk);
          if (headLength < HEAD_BYTES) {
            headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
            headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
          }
          batch.push(chunk);
          batchBytes += chunk.length;
          if (batchBytes >= WRITE_BATCH_BYTES) await flush();
        }
        await flush();
        await handle.sync();
        await handle.close();
        const sha256 = hash.digest('hex');
        const destination = pathOf(sha256);
        await mkdir(join(blobsDirectory, sha256.slice(0, 2)), { recursive: true });
        await rename(temporary, destination); // atomic; an identical blob is simply replaced
        await syncDirectory(join(blobsDirectory, sha256.slice(0, 2)));
        kept = true;
        return { sha256, sizeBytes, head: Buffer.concat(headChunks) };
      } finally {
        if (!kept) {
          await handle.close().catch(() => {});
          await unlink(temporary).catch(() => {});
        }
      }
    },
    async read(sha256) {
      return readFile(pathOf(sha256));
    },
    stream(sha256) {
      return createReadStream(pathOf(sha256));
    },
    async keep(sha256) {
      const now = new Date();
      await utimes(pathOf(sha256), now, now); // throws when the blob is gone
    },
    async settle() {
      // a rename is atomic and collection moves blobs aside and back: nothing to release
    },
    async collectGarbage(isReferenced) {
      await ready;
      let removed = 0;
      const graceMs = options.graceMs ?? GARBAGE_GRACE_MS;
      const isFresh = (mtimeMs: number) => Date.now() - mtimeMs < graceMs;
      for (const prefix of await readdir(blobsDirectory)) {
        for (const name of await readdir(join(blobsDirectory, prefix))) {
          const path = join(blobsDirectory, prefix, name);
          const info = await stat(path).catch(() => undefined);
          if (!info || isFresh(info.mtimeMs) || (await isReferenced(name))) continue;
          // Move it aside, then look again: meanwhile an upload of the same bytes may have renamed its own
          // copy into place (then the moved file is fresh) or recorded a file (then it is referenced).
          const aside = join(trashDirectory, `${name}-${randomBytes(6).toString('hex')}`);
          if (
            !(await rename(path, aside).then(
              () => true,
              () => false,
            ))
          )
            continue;
          const moved = await stat(aside);
          if (isFresh(moved.mtimeMs) || (await isReferenced(name))) {
            await rename(aside, path); // identical content, whichever copy ends up in place
          } else {
            await unlink(aside);
            removed += 1;
          }
        }
      }
      return removed;
    },
  };
}
