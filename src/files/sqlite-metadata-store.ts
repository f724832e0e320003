// File metadata and usage records in SQLite (libsql's better-sqlite3-compatible binding, WAL): the embedded
// default, one server process.
import Database from 'libsql';
import {
  aggregateFromRow,
  USAGE_COLUMNS,
  type UsageAggregateRow,
  type UsageRecord,
  usageValues,
} from '../usage/types.js';
import { type FileRow, fileRowToRecord, pageOfRows } from './file-row.js';
import { type ListPage, type ListQuery, type MetadataStore, UnknownCursorError } from './types.js';

const LIVE = '(expires_at IS NULL OR expires_at > @now)';

export function createSqliteMetadataStore(path: string): MetadataStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS files (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      workspace TEXT NOT NULL,
      filename TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT,
      downloadable INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS files_by_workspace ON files (workspace, seq);
    CREATE INDEX IF NOT EXISTS files_by_blob ON files (sha256);
    CREATE INDEX IF NOT EXISTS files_by_expiry ON files (expires_at) WHERE expires_at IS NOT NULL;
    CREATE TABLE IF NOT EXISTS usage_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      time_ms INTEGER NOT NULL,
      request_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      workspace TEXT NOT NULL,
      api_key_id TEXT NOT NULL,
      model TEXT NOT NULL,
      backend TEXT NOT NULL,
      rules TEXT,
      status INTEGER NOT NULL,
      error_type TEXT,
      input_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      images INTEGER NOT NULL,
      image_tokens INTEGER NOT NULL,
      latency_ms REAL NOT NULL,
      input_cost_usd REAL NOT NULL,
      output_cost_usd REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS usage_events_by_time ON usage_events (time_ms);
  `);
  const statements = {
    insert: db.prepare(
      `INSERT INTO files (id, workspace, filename, mime_type, size_bytes, sha256, created_at, expires_at, downloadable)
       VALUES (@id, @workspace, @filename, @mime_type, @size_bytes, @sha256, @created_at, @expires_at, @downloadable)`,
    ),
    get: db.prepare(`SELECT * FROM files WHERE id = @id AND workspace = @workspace AND ${LIVE}`),
    cursor: db.prepare('SELECT seq FROM files WHERE id = @id AND workspace = @workspace'),
    newest: db.prepare(
      `SELECT * FROM files WHERE workspace = @workspace AND ${LIVE} ORDER BY seq DESC LIMIT @limit`,
    ),
    older: db.prepare(
      `SELECT * FROM files WHERE workspace = @workspace AND seq < @seq AND ${LIVE} ORDER BY seq DESC LIMIT @limit`,
    ),
    newer: db.prepare(
      `SELECT * FROM files WHERE workspace = @workspace AND seq > @seq AND ${LIVE} ORDER BY seq ASC LIMIT @limit`,
    ),
    delete: db.prepare('DELETE FROM files WHERE id = @id AND workspace = @workspace RETURNING *'),
    purge: db.prepare('DELETE FROM files WHERE expires_at IS NOT NULL AND expires_at <= @now RETURNING *'),
    referenced: db.prepare('SELECT 1 FROM files WHERE sha256 = @sha256 LIMIT 1'),
    insertUsage: db.prepare(
      `INSERT INTO usage_events (${USAGE_COLUMNS.join(', ')}) VALUES (${USAGE_COLUMNS.map(() => '?').join(', ')})`,
    ),
    // billed usage: successful messages calls; filters are JSON arrays (NULL: no filter)
    usage: db.prepare(
      `SELECT CAST((time_ms - @start) / @width AS INTEGER) AS bucket, model, api_key_id, workspace, COUNT(*) AS requests,
              SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, SUM(images) AS images,
              SUM(image_tokens) AS image_tokens, SUM(input_cost_usd) AS input_cost_usd,
              SUM(output_cost_usd) AS output_cost_usd
       FROM usage_events
       WHERE kind = 'messages' AND status < 400 AND time_ms >= @start AND time_ms < @end
         AND (@models IS NULL OR model IN (SELECT value FROM json_each(@models)))
         AND (@keys IS NULL OR api_key_id IN (SELECT value FROM json_each(@keys)))
         AND (@workspaces IS NULL OR workspace IN (SELECT value FROM json_each(@workspaces)))
       GROUP BY bucket, model, api_key_id, workspace
       ORDER BY bucket, model, api_key_id, workspace`,
    ),
  };
  const recordUsage = db.transaction((records: readonly UsageRecord[]) => {
    for (const record of records) statements.insertUsage.run(usageValues(record));
  });
  const jsonList = (list: readonly string[] | undefined) => (list ? JSON.stringify(list) : null);

  const cursorSeq = (workspace: string, id: string): number => {
    const row = statements.cursor.get({ id, workspace }) as { seq: number } | undefined;
    if (!row) throw new UnknownCursorError(id);
    return row.seq;
  };

  return {
    async insert(record) {
      statements.insert.run({
        id: record.id,
        workspace: record.workspace,
        filename: record.filename,
        mime_type: record.mimeType,
        size_bytes: record.sizeBytes,
        sha256: record.sha256,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
        downloadable: record.downloadable ? 1 : 0,
      });
    },
    async get(workspace, id, now) {
      const row = statements.get.get({ id, workspace, now: now.toISOString() }) as FileRow | undefined;
      return row && fileRowToRecord(row);
    },
    async list(workspace, query: ListQuery): Promise<ListPage> {
      const common = { workspace, now: query.now.toISOString(), limit: query.limit + 1 };
      let rows: FileRow[];
      if (query.beforeId !== undefined) {
        rows = statements.newer.all({ ...common, seq: cursorSeq(workspace, query.beforeId) }) as FileRow[];
        return pageOfRows(rows, query.limit, 'oldest first');
      }
      rows =
        query.afterId !== undefined
          ? (statements.older.all({ ...common, seq: cursorSeq(workspace, query.afterId) }) as FileRow[])
          : (statements.newest.all(common) as FileRow[]);
      return pageOfRows(rows, query.limit, 'newest first');
    },
    async delete(workspace, id) {
      const row = statements.delete.get({ id, workspace }) as FileRow | undefined;
      return row && fileRowToRecord(row);
    },
    async purgeExpired(now) {
      return (statements.purge.all({ now: now.toISOString() }) as FileRow[]).map(fileRowToRecord);
    },
    async isBlobReferenced(sha256) {
      return statements.referenced.get({ sha256 }) !== undefined;
    },
    async recordUsage(records) {
      recordUsage(records);
    },
    async queryUsage(query) {
      const rows = statements.usage.all({
        start: query.startMs,
        end: query.endMs,
        width: query.widthMs,
        models: jsonList(query.models),
        keys: jsonList(query.apiKeyIds),
        workspaces: jsonList(query.workspaces),
      }) as UsageAggregateRow[];
      return rows.map(aggregateFromRow);
    },
    async close() {
      db.close();
    },
  };
}
