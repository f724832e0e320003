import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiskBlobStore } from './disk-blob-store.js';
import { BlobTooLargeError } from './types.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function store(options: { graceMs?: number } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'sightline-blobs-'));
  roots.push(root);
  return { root, blobs: createDiskBlobStore(root, options) };
}

const chunks = (bytes: Buffer, size = 10_000) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) =>
      bytes.subarray(index * size, (index + 1) * size),
    ),
  );

const allBlobs = async (root: string) => {
  const names: string[] = [];
  for (const prefix of await readdir(join(root, 'sha256')))
    names.push(...(await readdir(join(root, 'sha256', prefix))));
  return names;
};

describe('createDiskBlobStore', () => {
  it('stores content under its SHA-256, once for identical uploads, and reads it back', async () => {
    const { root, blobs } = await store();
    const bytes = randomBytes(3_000_000);
    const [first, second] = await Promise.all([
      blobs.write(chunks(bytes), 10_000_000),
      blobs.write(chunks(bytes, 4096), 10_000_000),
    ]);
    expect(first.sha256).toBe(second.sha256);
    expect(first.sizeBytes).toBe(bytes.length);
    expect(first.head.equals(bytes.subarray(0, 8192))).toBe(true);
    expect(await allBlobs(root)).toEqual([first.sha256]);
    expect((await blobs.read(first.sha256)).equals(bytes)).toBe(true);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('refuses content over the limit and keeps nothing of it', async () => {
    const { root, blobs } = await store();
    await expect(blobs.write(chunks(randomBytes(50_000)), 20_000)).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await allBlobs(root)).toEqual([]);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('collects only unreferenced blobs older than the grace period', async () => {
    const { root, blobs } = await store({ graceMs: 0 });
    const kept = await blobs.write(chunks(randomBytes(1000)), 10_000);
    const dropped = await blobs.write(chunks(randomBytes(1000)), 10_000);
    expect(await blobs.collectGarbage(async (sha256) => sha256 === kept.sha256)).toBe(1);
    expect(await allBlobs(root)).toEqual([kept.sha256]);
    expect(dropped.sha256).not.toBe(kept.sha256);
    const fresh = createDiskBlobStore(root); // default grace: a just-written blob is left alone
    expect(await fresh.collectGarbage(async () => false)).toBe(0);
  });

  it('never deletes a blob that an upload of the same bytes is using while it collects', async () => {
    const { root, blobs } = await store({ graceMs: 60_000 });
    const bytes = randomBytes(5000);
    const old = new Date(Date.now() - 3_600_000);
    const age = async (sha256: string) => utimes(join(root, 'sha256', sha256.slice(0, 2), sha256), old, old);
    // 1. an upload renames a fresh copy into place after the first reference check, and records it late
    const first = await blobs.write(chunks(bytes), 10_000);
    await age(first.sha256);
    let uploaded = false;
    await blobs.collectGarbage(async () => {
      if (!uploaded) {
        uploaded = true;
        await blobs.write(chunks(bytes), 10_000);
      }
      return false;
    });
    expect((await blobs.read(first.sha256)).equals(bytes)).toBe(true);
    // 2. a file referencing the old blob is recorded between the two checks
    await age(first.sha256);
    let checks = 0;
    await blobs.collectGarbage(async () => ++checks > 1);
    expect((await blobs.read(first.sha256)).equals(bytes)).toBe(true);
    // 3. nobody uses it: collected, and keep() then says so
    await age(first.sha256);
    expect(await blobs.collectGarbage(async () => false)).toBe(1);
    await expect(blobs.keep(first.sha256)).rejects.toThrow();
    expect(await readdir(join(root, 'trash'))).toEqual([]);
  });

  it('removes orphaned temporary files whatever their age, at start and on each collection', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sightline-blobs-'));
    roots.push(root);
    await mkdir(join(root, 'tmp'), { recursive: true });
    await mkdir(join(root, 'trash'), { recursive: true });
    const host = hostname().replace(/[^A-Za-z0-9-]/g, '_');
    // a process that is gone (kill -9): its pid is free, so its files are orphans at once
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const leftovers = {
      dead: `${host}.${gone}.1-aa`,
      alive: `${host}.${process.ppid}.1-bb`, // another live process on this host: still uploading
      otherHostFresh: 'elsewhere.42.1-cc',
      otherHostStale: 'elsewhere.43.1-dd',
      legacyStale: '1700000000000-ee',
    };
    for (const name of Object.values(leftovers)) await writeFile(join(root, 'tmp', name), 'partial');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of [leftovers.otherHostStale, leftovers.legacyStale])
      await utimes(join(root, 'tmp', name), old, old);
    const blobs = createDiskBlobStore(root);
    await blobs.collectGarbage(async () => true);
    expect((await readdir(join(root, 'tmp'))).sort()).toEqual(
      [leftovers.alive, leftovers.otherHostFresh].sort(),
    );
    // one of this process's own names, with no upload running: an orphan on the next collection
    const own = `${host}.${process.pid}.1-ff`;
    await writeFile(join(root, 'tmp', own), 'partial');
    await blobs.collectGarbage(async () => true);
    expect(await readdir(join(root, 'tmp'))).not.toContain(own);
  });
});
