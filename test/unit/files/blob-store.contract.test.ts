// The one contract every BlobStore passes, run against the disk store (a temporary directory) and the
// S3 store (s3rver, a local S3-protocol server started as a separate process; a fresh key prefix per test).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CopyObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskBlobStore } from '../../../src/files/disk-blob-store.js';
import { createS3BlobStore } from '../../../src/files/s3-blob-store.js';
import { type BlobStore, BlobTooLargeError } from '../../../src/files/types.js';
import { type LocalS3, startLocalS3 } from '../../support/s3rver.js';

/** One empty storage place; `open()` may be called again on it, like another server process. */
interface Place {
  open(options?: { graceMs?: number }): BlobStore;
  /** the addresses of the blobs stored, sorted */
  blobs(): Promise<string[]>;
  /** temporary or set-aside leftovers (none once uploads and collections are done) */
  leftovers(): Promise<string[]>;
  /** makes a blob look unused for an hour */
  age(sha256: string): Promise<void>;
}

const HOUR = 3_600_000;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function diskPlace(): Promise<Place> {
  const root = await mkdtemp(join(tmpdir(), 'sightline-blobs-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const names = async (directory: string) => (await readdir(join(root, directory)).catch(() => [])).sort();
  return {
    open: (options) => createDiskBlobStore(root, options),
    async blobs() {
      const found: string[] = [];
      for (const prefix of await names('sha256')) found.push(...(await names(join('sha256', prefix))));
      return found.sort();
    },
    leftovers: async () => [...(await names('tmp')), ...(await names('trash'))],
    async age(sha256) {
      const old = new Date(Date.now() - HOUR);
      await utimes(join(root, 'sha256', sha256.slice(0, 2), sha256), old, old);
    },
  };
}

let s3: LocalS3 | undefined;
async function s3Place(): Promise<Place> {
  if (!s3) {
    s3 = await startLocalS3();
    const started = s3;
    cleanups.push(() => started.stop());
  }
  const { bucket, client: settings } = s3;
  const prefix = `test-${randomBytes(6).toString('hex')}/`;
  const client = new S3Client(settings);
  cleanups.push(async () => client.destroy());
  const keys = async (under: string) => {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix + under }));
    return (page.Contents ?? []).map((object) => (object.Key as string).slice(prefix.length + under.length));
  };
  return {
    open(options) {
      const store = createS3BlobStore({ bucket, prefix, client: settings, ...options });
      cleanups.push(() => store.close());
      return store;
    },
    blobs: async () => (await keys('sha256/')).map((key) => key.slice(3)).sort(),
    leftovers: async () => [...(await keys('tmp/')), ...(await keys('trash/'))],
    async age(sha256) {
      const key = `${prefix}sha256/${sha256.slice(0, 2)}/${sha256}`;
      await client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          CopySource: `${bucket}/${key}`,
          MetadataDirective: 'REPLACE',
          Metadata: { touched: String(Date.now() - HOUR), nonce: randomBytes(8).toString('hex') },
        }),
      );
    },
  };
}

const chunks = (bytes: Buffer, size = 10_000) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) =>
      bytes.subarray(index * size, (index + 1) * size),
    ),
  );

describe.each([
  { name: 'disk', place: diskPlace, restoresOnSettle: false },
  { name: 's3', place: s3Place, restoresOnSettle: true },
])('BlobStore contract: $name', ({ place: createPlace, restoresOnSettle }) => {
  let place: Place;
  beforeAll(async () => {
    place = await createPlace(); // starts s3rver once, before the timed tests
  }, 30_000);
  const fresh = async () => {
    place = await createPlace();
    return place;
  };

  it('stores content under its SHA-256, once for identical uploads, and reads it back', async () => {
    const where = await fresh();
    const blobs = where.open();
    const bytes = randomBytes(11_000_000); // more than one multipart part
    const [first, second] = await Promise.all([
      blobs.write(chunks(bytes, 65_536), 20_000_000),
      blobs.write(chunks(bytes, 4096), 20_000_000),
    ]);
    expect(first.sha256).toBe(second.sha256);
    expect(first.sizeBytes).toBe(bytes.length);
    expect(first.head.equals(bytes.subarray(0, 8192))).toBe(true);
    expect(await where.blobs()).toEqual([first.sha256]);
    expect((await blobs.read(first.sha256)).equals(bytes)).toBe(true);
    const streamed: Buffer[] = [];
    for await (const chunk of blobs.stream(first.sha256)) streamed.push(chunk as Buffer);
    expect(Buffer.concat(streamed).equals(bytes)).toBe(true);
    await blobs.settle(first);
    await blobs.settle(second);
    expect(await where.leftovers()).toEqual([]);
  });

  it('refuses content over the limit and keeps nothing of it', async () => {
    const where = await fresh();
    const blobs = where.open();
    await expect(blobs.write(chunks(randomBytes(50_000)), 20_000)).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await where.blobs()).toEqual([]);
    expect(await where.leftovers()).toEqual([]);
  });

  it('collects only unreferenced blobs older than the grace period', async () => {
    const where = await fresh();
    const blobs = where.open({ graceMs: 0 });
    const kept = await blobs.write(chunks(randomBytes(1000)), 10_000);
    const dropped = await blobs.write(chunks(randomBytes(1000)), 10_000);
    await blobs.settle(kept);
    await blobs.settle(dropped);
    expect(await blobs.collectGarbage(async (sha256) => sha256 === kept.sha256)).toBe(1);
    expect(await where.blobs()).toEqual([kept.sha256]);
    expect(dropped.sha256).not.toBe(kept.sha256);
    const another = where.open(); // default grace: a just-written blob is left alone
    expect(await another.collectGarbage(async () => false)).toBe(0);
  });

  it('never deletes a blob that an upload of the same bytes is using while it collects', async () => {
    const where = await fresh();
    const blobs = where.open({ graceMs: 60_000 });
    const bytes = randomBytes(5000);
    // 1. an upload writes a fresh copy after the first reference check, and records it late
    const first = await blobs.write(chunks(bytes), 10_000);
    await blobs.settle(first);
    await where.age(first.sha256);
    let uploaded = false;
    await blobs.collectGarbage(async () => {
      if (!uploaded) {
        uploaded = true;
        await blobs.settle(await blobs.write(chunks(bytes), 10_000));
      }
      return false;
    });
    expect((await blobs.read(first.sha256)).equals(bytes)).toBe(true);
    // 2. a file referencing the old blob is recorded between the two checks
    await where.age(first.sha256);
    let checks = 0;
    await blobs.collectGarbage(async () => ++checks > 1);
    expect((await blobs.read(first.sha256)).equals(bytes)).toBe(true);
    // 3. nobody uses it: collected, and keep() then says so
    await where.age(first.sha256);
    expect(await blobs.collectGarbage(async () => false)).toBe(1);
    await expect(blobs.keep(first.sha256)).rejects.toThrow();
    expect(await where.leftovers()).toEqual([]);
  });

  // Beyond the grace period (which protects both stores), S3 keeps each upload's own copy until it settles
  it.runIf(restoresOnSettle)(
    'an upload whose blob is collected before its record puts it back when it settles',
    async () => {
      const where = await fresh();
      const blobs = where.open({ graceMs: 0 });
      const bytes = randomBytes(3000);
      const blob = await blobs.write(chunks(bytes), 10_000);
      await where.age(blob.sha256);
      let recorded = false;
      // the collector removes the blob; the upload records its file just after the collector's re-check
      await blobs.collectGarbage(async () => recorded);
      recorded = true;
      await blobs.settle(blob);
      expect((await blobs.read(blob.sha256)).equals(bytes)).toBe(true);
      expect(await where.leftovers()).toEqual([]);
    },
  );
});
