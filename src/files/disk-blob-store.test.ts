// Disk-only behaviour of the disk blob store (what it shares with S3: the blob-store contract suite):
// temporary files of uploads that died are recognised by their owner (host and pid) in the name.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiskBlobStore } from './disk-blob-store.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('createDiskBlobStore', () => {
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
