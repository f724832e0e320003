// The Files API storage contract: metadata (SQLite by default, PostgreSQL to share one store between
// server processes) and content-addressed blobs (local disk), each behind one interface.
import type { Readable } from 'node:stream';
import type { UsageStore } from '../usage/types.js';

export interface FileRecord {
  id: string;
  /** the workspace (API key) that uploaded it: no other workspace can see it */
  workspace: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  /** content hash: the blob's address */
  sha256: string;
  /** RFC 3339 */
  createdAt: string;
  expiresAt: string | null;
  downloadable: boolean;
}

export interface ListQuery {
  /** 1–1000 */
  limit: number;
  /** files older than this one (the list is newest first) */
  afterId?: string;
  /** files newer than this one */
  beforeId?: string;
  /** expired files are not listed */
  now: Date;
}

export interface ListPage {
  /** newest first */
  data: FileRecord[];
  /** more files lie beyond this page, in the direction asked */
  hasMore: boolean;
}

/** Also holds the usage records (one store to run and back up). */
export interface MetadataStore extends UsageStore {
  insert(record: FileRecord): Promise<void>;
  /** undefined when absent, expired at `now`, or of another workspace */
  get(workspace: string, id: string, now: Date): Promise<FileRecord | undefined>;
  /** throws `UnknownCursorError` for an afterId/beforeId that is not a file of this workspace */
  list(workspace: string, query: ListQuery): Promise<ListPage>;
  /** removes and returns the record; undefined when absent or of another workspace */
  delete(workspace: string, id: string): Promise<FileRecord | undefined>;
  /** removes and returns every record expired at `now` */
  purgeExpired(now: Date): Promise<FileRecord[]>;
  /** whether any record (any workspace) still points at this blob */
  isBlobReferenced(sha256: string): Promise<boolean>;
  close(): Promise<void>;
}

export class UnknownCursorError extends Error {
  override name = 'UnknownCursorError';
}

export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
  /** the first bytes, for sniffing the type */
  head: Buffer;
}

export interface BlobStore {
  /**
   * Streams bytes into the store: written to a temporary file, flushed and renamed into place, so no
   * reader ever sees a partial blob. Throws `BlobTooLargeError` past `maxBytes` (nothing is kept).
   */
  write(source: Readable, maxBytes: number): Promise<StoredBlob>;
  read(sha256: string): Promise<Buffer>;
  stream(sha256: string): Readable;
  /** Marks a blob as just used (so garbage collection leaves it), or throws when it is gone. */
  keep(sha256: string): Promise<void>;
  /**
   * Called once the blob's file is recorded (or its upload given up): the store makes sure the blob is
   * still there and releases what it kept for that (S3: the upload's temporary copy). Disk: nothing.
   */
  settle(blob: StoredBlob): Promise<void>;
  /** removes blobs no record references any more (older than a grace period, so racing uploads are safe) */
  collectGarbage(isReferenced: (sha256: string) => Promise<boolean>): Promise<number>;
}

export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
}
