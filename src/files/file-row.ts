// The `files` table's row as both metadata stores read it, its conversion to a FileRecord, and a list
// page made of rows.
import type { FileRecord, ListPage } from './types.js';

export interface FileRow {
  id: string;
  workspace: string;
  filename: string;
  mime_type: string;
  /** INTEGER in SQLite; BIGINT arrives from PostgreSQL as a string */
  size_bytes: number | string;
  sha256: string;
  created_at: string;
  expires_at: string | null;
  /** 0/1 in SQLite, boolean in PostgreSQL */
  downloadable: number | boolean;
}

export const fileRowToRecord = (row: FileRow): FileRecord => ({
  id: row.id,
  workspace: row.workspace,
  filename: row.filename,
  mimeType: row.mime_type,
  sizeBytes: Number(row.size_bytes),
  sha256: row.sha256,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  downloadable: row.downloadable === true || row.downloadable === 1,
});

/**
 * A list page from rows read one past the limit (the extra row says there are more). Pages before a
 * cursor are read oldest first, from the cursor up, and turned back to newest first here.
 */
export function pageOfRows(
  rows: readonly FileRow[],
  limit: number,
  order: 'newest first' | 'oldest first',
): ListPage {
  const data = rows.slice(0, limit).map(fileRowToRecord);
  return { data: order === 'oldest first' ? data.reverse() : data, hasMore: rows.length > limit };
}
