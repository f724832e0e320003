// The Files API store: metadata (SQLite or PostgreSQL) and content-addressed blobs on disk.
export { createDiskBlobStore } from './disk-blob-store.js';
export {
  createFileService,
  type FileService,
  type FileServiceOptions,
  type RecordInput,
} from './file-service.js';
export { sniffMimeType } from './sniff-mime-type.js';
export { createSqliteMetadataStore } from './sqlite-metadata-store.js';
export {
  type BlobStore,
  BlobTooLargeError,
  type FileRecord,
  type ListPage,
  type ListQuery,
  type MetadataStore,
  type StoredBlob,
  UnknownCursorError,
} from './types.js';
