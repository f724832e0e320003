// File metadata in PostgreSQL (`pg` pool): one store shared by several server processes. Behaves exactly
// like the SQLite store: newest first by insertion sequence, RFC 3339 text compared byte-wise (COLLATE "C").
import pg from 'pg';
import { aggregateFromRow, USAGE_COLUMNS, type UsageAggregateRow, usageValues } from '../usage/types.js';
import { type FileRow, fileRowToRecord, pageOfRows } from './file-row.js';
import { type ListPage, type ListQuery, type MetadataStore, UnknownCursorError } from './types.js';

/**
 * Serialises schema creation between processes starting at once: concurrent `CREATE TABLE IF NOT EXISTS`
 * can still collide on the catalogue's unique indexes (pg_type). Advisory locks are per database.
 */
const SCHEMA_LOCK_KEY = 0x5_1647_4854; // any constant: only this store takes it

// Timestamps are TEXT holding the RFC 3339 strings as inserted, compared byte-wise like SQLite does.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sightline_files (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C",
    downloadable BOOLEAN NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sightline_files_by_workspace ON sightline_files (workspace, seq);
  CREATE INDEX IF NOT EXISTS sightline_files_by_blob ON sightline_files (sha256);
  CREATE INDEX IF NOT EXISTS sightline_files_by_expiry ON sightline_files (expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE IF NOT EXISTS sightline_usage_events (
    seq BIGSERIAL PRIMARY KEY,
    time_ms BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    workspace TEXT NOT NULL,
    api_key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    backend TEXT NOT NULL,
    rules TEXT,
    status INTEGER NOT NULL,
    error_type TEXT,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    images INTEGER NOT NULL,
    image_tokens BIGINT NOT NULL,
    latency_ms DOUBLE PRECISION NOT NULL,
    input_cost_usd DOUBLE PRECISION NOT NULL,
    output_cost_usd DOUBLE PRECISION NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sightline_usage_events_by_time ON sightline_usage_events (time_ms);
`;

const LIVE = '(expires_at IS NULL OR expires_at > $2)';

const SQL = {
  insert: `INSERT INTO sightline_files (id, workspace, filename, mime_type, size_bytes, sha256, created_at, expires_at, downloadable)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  get: `SELECT * FROM sightline_files WHERE workspace = $1 AND ${LIVE} AND id = $3`,
  cursor: 'SELECT seq FROM sightline_files WHERE workspace = $1 AND id = $2',
  newest: `SELECT * FROM sightline_files WHERE workspace = $1 AND ${LIVE} ORDER BY seq DESC LIMIT $3`,
  older: `SELECT * FROM sightline_files WHERE workspace = $1 AND ${LIVE} AND seq < $4 ORDER BY seq DESC LIMIT $3`,
  newer: `SELECT * FROM sightline_files WHERE workspace = $1 AND ${LIVE} AND seq > $4 ORDER BY seq ASC LIMIT $3`,
  delete: 'DELETE FROM sightline_files WHERE workspace = $1 AND id = $2 RETURNING *',
  purge: 'DELETE FROM sightline_files WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING *',
  referenced: 'SELECT 1 FROM sightline_files WHERE sha256 = $1 LIMIT 1',
  // billed usage: successful messages calls; a NULL array is no filter
  usage: `SELECT (time_ms - $1::bigint) / $3::bigint AS bucket, model, api_key_id, workspace,
                 COUNT(*) AS requests, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
                 SUM(images) AS images, SUM(image_tokens) AS image_tokens,
                 SUM(input_cost_usd) AS input_cost_usd, SUM(output_cost_usd) AS output_cost_usd
          FROM sightline_usage_events
          WHERE kind = 'messages' AND status < 400 AND time_ms >= $1 AND time_ms < $2
            AND ($4::text[] IS NULL OR model = ANY($4::text[]))
            AND ($5::text[] IS NULL OR api_key_id = ANY($5::text[]))
            AND ($6::text[] IS NULL OR workspace = ANY($6::text[]))
          GROUP BY bucket, model, api_key_id, workspace
          ORDER BY bucket, model COLLATE "C", api_key_id COLLATE "C", workspace COLLATE "C"`,
} as const;

/** One multi-row INSERT for a batch of usage records. */
function usageInsert(count: number): string {
  const width = USAGE_COLUMNS.length;
  const rows = Array.from(
    { length: count },
    (_, row) => `(${USAGE_COLUMNS.map((_, column) => `$${row * width + column + 1}`).join(', ')})`,
  );
  return `INSERT INTO sightline_usage_events (${USAGE_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`;
}

async function createSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(SCHEMA);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function createPostgresMetadataStore(connectionString: string): Promise<MetadataStore> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection that breaks (server restart) is dropped by the pool and the next query opens a
  // new one; without a listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  try {
    await createSchema(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const cursorSeq = async (workspace: string, id: string): Promise<string> => {
    const { rows } = await pool.query<{ seq: string }>(SQL.cursor, [workspace, id]);
    const row = rows[0];
    if (!row) throw new UnknownCursorError(id);
    return row.seq;
  };

  return {
    async insert(record) {
      await pool.query(SQL.insert, [
        record.id,
        record.workspace,
        record.filename,
        record.mimeType,
        record.sizeBytes,
        record.sha256,
        record.createdAt,
        record.expiresAt,
        record.downloadable,
      ]);
    },
    async get(workspace, id, now) {
      const { rows } = await pool.query<FileRow>(SQL.get, [workspace, now.toISOString(), id]);
      const row = rows[0];
      return row && fileRowToRecord(row);
    },
    async list(workspace, query: ListQuery): Promise<ListPage> {
      const common = [workspace, query.now.toISOString(), query.limit + 1];
      if (query.beforeId !== undefined) {
        const seq = await cursorSeq(workspace, query.beforeId);
        const { rows } = await pool.query<FileRow>(SQL.newer, [...common, seq]);
        return pageOfRows(rows, query.limit, 'oldest first');
      }
      const { rows } =
        query.afterId !== undefined
          ? await pool.query<FileRow>(SQL.older, [...common, await cursorSeq(workspace, query.afterId)])
          : await pool.query<FileRow>(SQL.newest, common);
      return pageOfRows(rows, query.limit, 'newest first');
    },
    async delete(workspace, id) {
      const { rows } = await pool.query<FileRow>(SQL.delete, [workspace, id]);
      const row = rows[0];
      return row && fileRowToRecord(row);
    },
    async purgeExpired(now) {
      const { rows } = await pool.query<FileRow>(SQL.purge, [now.toISOString()]);
      return rows.map(fileRowToRecord);
    },
    async isBlobReferenced(sha256) {
      const { rowCount } = await pool.query(SQL.referenced, [sha256]);
      return (rowCount ?? 0) > 0;
    },
    async recordUsage(records) {
      // PostgreSQL takes at most 65535 parameters per statement
      const perStatement = Math.floor(65_535 / USAGE_COLUMNS.length);
      for (let start = 0; start < records.length; start += perStatement) {
        const batch = records.slice(start, start + perStatement);
        await pool.query(usageInsert(batch.length), batch.flatMap(usageValues));
      }
    },
    async queryUsage(query) {
      const { rows } = await pool.query<UsageAggregateRow>(SQL.usage, [
        query.startMs,
        query.endMs,
        query.widthMs,
        query.models ?? null,
        query.apiKeyIds ?? null,
        query.workspaces ?? null,
      ]);
      return rows.map(aggregateFromRow);
    },
    async close() {
      await pool.end();
    },
  };
}
