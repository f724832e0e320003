// Content-addressed blobs in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, R2), through the
// official AWS SDK v3: `<prefix>sha256/ab/abcdef…`. Several servers may share one bucket.
//
// An upload streams (multipart, @aws-sdk/lib-storage) to its own temporary object while being hashed,
// then is copied to its address — a blob is only ever at its address complete, and identical uploads
// end in one object. The temporary object is kept until the file is recorded (`settle`), so the upload
// can put its blob back if garbage collection removed it meanwhile.
//
// S3 has no atomic rename, so freshness is the store's own `touched` metadata (set by every write and
// `keep`, with a random `nonce`) and collection re-checks: a candidate is copied to `trash/`, the copy's
// nonce must still be the one inspected (else an upload rewrote it: left alone), the blob is deleted,
// and if a file now references it, it is restored from the trash copy.
import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createBlobMeter } from './blob-meter.js';
import type { BlobStore, StoredBlob } from './types.js';

const PART_BYTES = 8 * 1024 * 1024;
const GARBAGE_GRACE_MS = 10 * 60 * 1000;
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

export interface S3BlobStoreOptions {
  bucket: string;
  /** key prefix inside the bucket, e.g. `sightline/` */
  prefix?: string;
  client: S3ClientConfig;
  graceMs?: number;
  now?: () => number;
}

const isNotFound = (error: unknown): boolean => {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NotFound' || name === 'NoSuchKey' || status === 404;
};

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore & { close(): Promise<void> } {
  // checksums only when an operation requires them: S3-compatible servers vary in what they accept
  const client = new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...options.client,
  });
  const { bucket } = options;
  const prefix = options.prefix ?? '';
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? GARBAGE_GRACE_MS;
  const blobKey = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return `${prefix}sha256/${sha256.slice(0, 2)}/${sha256}`;
  };
  const stamp = () => ({ touched: String(now()), nonce: randomBytes(8).toString('hex') });
  const copy = (from: string, to: string, metadata?: Record<string, string>) =>
    client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: to,
        CopySource: `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
        ...(metadata ? { MetadataDirective: 'REPLACE', Metadata: metadata } : { MetadataDirective: 'COPY' }),
      }),
    );
  const head = async (key: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const remove = (key: string) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  async function* list(under: string) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix + under, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  /** temporary objects of this process's uploads, by blob, until settled */
  const temporaries = new Map<StoredBlob, string>();

  return {
    async write(source, maxBytes) {
      const temporary = `${prefix}tmp/${now()}-${randomBytes(8).toString('hex')}`;
      const blobMeter = createBlobMeter(maxBytes);
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          try {
            blobMeter.add(chunk);
          } catch (error) {
            return done(error as Error);
          }
          done(null, chunk);
        },
      });
      const body = new PassThrough();
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: temporary, Body: body },
        partSize: PART_BYTES,
        queueSize: 2,
        leavePartsOnError: false,
      });
      let stored = false;
      try {
        // a failed upload stops the feeding (else it would wait on back-pressure forever), and a failed
        // feeding (too large, client gone) aborts the upload; the feeding's error is the one reported
        const results = await Promise.allSettled([
          pipeline(source, meter, body).catch((error: unknown) => {
            void upload.abort().catch(() => undefined);
            throw error;
          }),
          upload.done().catch((error: unknown) => {
            body.destroy(error as Error);
            throw error;
          }),
        ]);
        for (const result of results) if (result.status === 'rejected') throw result.reason;
        const blob = blobMeter.blob();
        await copy(temporary, blobKey(blob.sha256), stamp());
        stored = true;
        temporaries.set(blob, temporary);
        return blob;
      } finally {
        if (!stored) await remove(temporary).catch(() => undefined);
      }
    },
    async read(sha256) {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: blobKey(sha256) }));
      return Buffer.from(
        await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    },
    stream(sha256) {
      const out = new PassThrough();
      client.send(new GetObjectCommand({ Bucket: bucket, Key: blobKey(sha256) })).then(
        (response) => {
          const body = response.Body as Readable;
          body.on('error', (error) => out.destroy(error));
          body.pipe(out);
        },
        (error: unknown) => out.destroy(error as Error),
      );
      return out;
    },
    async keep(sha256) {
      // a fresh stamp: garbage collection leaves it alone for the grace period (throws when it is gone)
      await copy(blobKey(sha256), blobKey(sha256), stamp());
    },
    async settle(blob) {
      const temporary = temporaries.get(blob);
      if (temporary === undefined) return;
      temporaries.delete(blob);
      try {
        // collected between keep() and the file's record: put back from this upload's own copy
        if (!(await head(blobKey(blob.sha256)))) await copy(temporary, blobKey(blob.sha256), stamp());
      } finally {
        await remove(temporary).catch(() => undefined);
      }
    },
    async collectGarbage(isReferenced) {
      let removed = 0;
      for (const under of ['tmp/', 'trash/']) {
        for await (const object of list(under)) {
          if (now() - (object.LastModified?.getTime() ?? now()) > STALE_TEMPORARY_MS)
            await remove(object.Key as string).catch(() => undefined);
        }
      }
      for await (const object of list('sha256/')) {
        const key = object.Key as string;
        const sha256 = key.slice(key.lastIndexOf('/') + 1);
        if (!/^[0-9a-f]{64}$/.test(sha256) || (await isReferenced(sha256))) continue;
        const inspected = await head(key);
        if (!inspected || now() - Number(inspected.Metadata?.touched ?? 0) < graceMs) continue;
        const aside = `${prefix}trash/${sha256}-${randomBytes(6).toString('hex')}`;
        try {
          await copy(key, aside);
        } catch (error) {
          if (isNotFound(error)) continue; // another collector took it
          throw error;
        }
        try {
          const copied = await head(aside);
          if (copied?.Metadata?.nonce !== inspected.Metadata?.nonce) continue; // rewritten meanwhile: fresh
          await remove(key);
          if (await isReferenced(sha256)) {
            if (!(await head(key))) await copy(aside, key); // recorded meanwhile: put back
          } else removed += 1;
        } finally {
          await remove(aside).catch(() => undefined);
        }
      }
      return removed;
    },
    async close() {
      client.destroy();
    },
  };
}

/** The `files.s3` settings (resolved from the YAML by the config module, which reuses this type). */
export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyIdEnv?: string;
  secretAccessKeyEnv?: string;
  forcePathStyle: boolean;
  /** key prefix inside the bucket */
  prefix: string;
}

/** The S3 store from the `files.s3` configuration; keys from the named environment variables (else the
 * AWS SDK's default chain: AWS_ACCESS_KEY_ID, profiles, instance roles). */
export function s3BlobStoreFromConfig(config: S3Settings, env: Readonly<Record<string, string | undefined>>) {
  const accessKeyId = config.accessKeyIdEnv ? env[config.accessKeyIdEnv] : undefined;
  const secretAccessKey = config.secretAccessKeyEnv ? env[config.secretAccessKeyEnv] : undefined;
  if (config.accessKeyIdEnv && !accessKeyId) throw new Error(`files.s3: ${config.accessKeyIdEnv} is not set`);
  if (config.secretAccessKeyEnv && !secretAccessKey)
    throw new Error(`files.s3: ${config.secretAccessKeyEnv} is not set`);
  return createS3BlobStore({
    bucket: config.bucket,
    prefix: config.prefix,
    client: {
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    },
  });
}
