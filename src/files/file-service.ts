// The Files API's behaviour over its two stores: uploads streamed to a blob then recorded (so a listed
// file is always complete), per-workspace reads, expiry, and clean-up of unreferenced blobs.
import type { Readable } from 'node:stream';
import { sniffMimeType } from './sniff-mime-type.js';
import type { BlobStore, FileRecord, ListPage, ListQuery, MetadataStore, StoredBlob } from './types.js';

export interface FileServiceOptions {
  metadata: MetadataStore;
  blobs: BlobStore;
  /** whether uploaded files can be downloaded (the API says no; configurable) */
  downloadable: boolean;
  maxBytes: number;
  createId: () => string;
  now?: () => Date;
}

export interface RecordInput {
  filename: string;
  expiresInSeconds?: number | undefined;
}

export interface FileService {
  readonly maxBytes: number;
  /** Streams the bytes to the blob store (not yet visible as a file). */
  storeContent(content: Readable): Promise<StoredBlob>;
  /** Makes a stored blob a file of this workspace (and releases what the store kept for the upload). */
  record(workspace: string, blob: StoredBlob, input: RecordInput): Promise<FileRecord>;
  /** An upload given up before its record: the store releases what it kept for it. */
  release(blob: StoredBlob): Promise<void>;
  get(workspace: string, id: string): Promise<FileRecord | undefined>;
  /** The record of this workspace's file when it exists but has expired (not yet purged). */
  findExpired(workspace: string, id: string): Promise<FileRecord | undefined>;
  list(workspace: string, query: Omit<ListQuery, 'now'>): Promise<ListPage>;
  delete(workspace: string, id: string): Promise<FileRecord | undefined>;
  content(record: FileRecord): Readable;
  readBytes(record: FileRecord): Promise<Buffer>;
  /** removes expired records, then blobs nobody references */
  collect(): Promise<{ expired: number; blobs: number }>;
  close(): Promise<void>;
}

export function createFileService(options: FileServiceOptions): FileService {
  const now = options.now ?? (() => new Date());
  const { metadata, blobs } = options;
  async function recordBlob(workspace: string, blob: StoredBlob, input: RecordInput): Promise<FileRecord> {
    // a slow trailing form field may have left the blob past the collector's grace period
    await blobs.keep(blob.sha256).catch(() => {
      throw new Error(`blob ${blob.sha256} was collected before its file was recorded`);
    });
    const created = now();
    const record: FileRecord = {
      id: options.createId(),
      workspace,
      filename: input.filename,
      mimeType: sniffMimeType(blob.head, input.filename),
      sizeBytes: blob.sizeBytes,
      sha256: blob.sha256,
      createdAt: created.toISOString(),
      expiresAt:
        input.expiresInSeconds === undefined
          ? null
          : new Date(created.getTime() + input.expiresInSeconds * 1000).toISOString(),
      downloadable: options.downloadable,
    };
    await metadata.insert(record);
    return record;
  }
  return {
    maxBytes: options.maxBytes,
    storeContent: (content) => blobs.write(content, options.maxBytes),
    async record(workspace, blob, input) {
      try {
        return await recordBlob(workspace, blob, input);
      } finally {
        await blobs.settle(blob);
      }
    },
    release: (blob) => blobs.settle(blob),
    get: (workspace, id) => metadata.get(workspace, id, now()),

    async findExpired(workspace, id) {
      // at the epoch no file had expired yet: the store returns the record whatever its expiry
      const record = await metadata.get(workspace, id, new Date(0));
      const expired = record?.expiresAt != null && record.expiresAt <= now().toISOString();
      return expired ? record : undefined;
    },
    list: (workspace, query) => metadata.list(workspace, { ...query, now: now() }),
    delete: (workspace, id) => metadata.delete(workspace, id),
    content: (record) => blobs.stream(record.sha256),
    readBytes: (record) => blobs.read(record.sha256),
    async collect() {
      const expired = await metadata.purgeExpired(now());
      const removed = await blobs.collectGarbage((sha256) => metadata.isBlobReferenced(sha256));
      return { expired: expired.length, blobs: removed };
    },
    close: () => metadata.close(),
  };
}
