// Content-addressed blobs on local disk: `<root>/sha256/ab/abcdef…`. Each upload streams into a
// temporary file while being hashed, is flushed (fsync) and renamed into place, so a reader never
// sees a partial blob and identical uploads are stored once. Memory stays flat whatever the size.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createBlobMeter } from './blob-meter.js';
import type { BlobStore } from './types.js';

const WRITE_BATCH_BYTES = 1024 * 1024;
/** Unreferenced blobs younger than this are kept: an upload of the same bytes may be about to use them. */
const GARBAGE_GRACE_MS = 10 * 60 * 1000;
/**
 * A temporary file of another host (a data directory shared over a network file system) untouched for this
 * long belongs to an upload that died; on this host, ownership is known exactly (see `isOrphan`).
 */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** Temporary files are named `<host>.<pid>.<time>-<random>`: who wrote them, to tell when they are orphans. */
const OWNER = `${hostname().replace(/[^A-Za-z0-9-]/g, '_')}.${process.pid}`;

const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
};

export function createDiskBlobStore(root: string, options: { graceMs?: number } = {}): BlobStore {
  const blobsDirectory = join(root, 'sha256');
  const temporaryDirectory = join(root, 'tmp');
  const trashDirectory = join(root, 'trash');
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(blobsDirectory, sha256.slice(0, 2), sha256);
  };
  /** Temporary files of uploads in progress in this process. */
  const owned = new Set<string>();

  /**
   * Whether no upload owns a temporary file, whatever its age: this process's own files are owned while
   * their upload runs; another process on this host owns its files while it lives (after a kill -9 they are
   * orphans at once); files of other hosts, or from before names carried an owner, go once stale.
   */
  const isOrphan = async (directory: string, name: string): Promise<boolean> => {
    const [host, pidText] = name.split('.', 3);
    const pid = Number(pidText);
    if (`${host}.${pidText}` === OWNER) return !owned.has(name);
    if (host === OWNER.split('.')[0] && Number.isInteger(pid) && pid > 0) return !isProcessAlive(pid);
    const info = await stat(join(directory, name)).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > STALE_TEMPORARY_MS;
  };

  /** Removes the leftovers of uploads (or collections) cut short by a crash; they are never visible. */
  const sweepTemporary = async (): Promise<number> => {
    let removed = 0;
    for (const directory of [temporaryDirectory, trashDirectory]) {
      for (const name of await readdir(directory)) {
        if (!(await isOrphan(directory, name))) continue;
        if (
          await unlink(join(directory, name)).then(
            () => true,
            () => false,
          )
        )
          removed += 1;
      }
    }
    return removed;
  };

  const ready = (async () => {
    await mkdir(blobsDirectory, { recursive: true });
    await mkdir(temporaryDirectory, { recursive: true });
    await mkdir(trashDirectory, { recursive: true });
    await sweepTemporary();
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
      const temporaryName = `${OWNER}.${Date.now()}-${randomBytes(8).toString('hex')}`;
      const temporary = join(temporaryDirectory, temporaryName);
      owned.add(temporaryName);
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(temporary, 'wx');
      } catch (error) {
        owned.delete(temporaryName);
        throw error;
      }
      const meter = createBlobMeter(maxBytes);
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
          meter.add(chunk);
          batch.push(chunk);
          batchBytes += chunk.length;
          if (batchBytes >= WRITE_BATCH_BYTES) await flush();
        }
        await flush();
        await handle.sync();
        await handle.close();
        const blob = meter.blob();
        const { sha256 } = blob;
        const destination = pathOf(sha256);
        await mkdir(join(blobsDirectory, sha256.slice(0, 2)), { recursive: true });
        await rename(temporary, destination); // atomic; an identical blob is simply replaced
        await syncDirectory(join(blobsDirectory, sha256.slice(0, 2)));
        kept = true;
        return blob;
      } finally {
        if (!kept) {
          await handle.close().catch(() => {});
          await unlink(temporary).catch(() => {});
        }
        owned.delete(temporaryName);
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
      await sweepTemporary();
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
          const aside = join(trashDirectory, `${OWNER}.${name}-${randomBytes(6).toString('hex')}`);
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
