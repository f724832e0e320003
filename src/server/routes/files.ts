// The Files API (docs/rules/wire.md §9): upload (multipart field `file`, streamed to storage), list (both the beta
// Page and the GA PageCursor styles in one answer), metadata, content, delete. Beta header and
// `?beta=true` are accepted and ignored. A file is visible only to the workspace that uploaded it.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ApiError,
  fileExpired,
  fileNotDownloadable,
  invalidRequest,
  notFound,
  requestTooLarge,
} from '../../errors/index.js';
import {
  BlobTooLargeError,
  type FileRecord,
  type FileService,
  type StoredBlob,
  UnknownCursorError,
} from '../../files/index.js';

/**
 * A failure of the server's own storage (disk full, I/O error, read-only or over quota): file-system
 * errors carry the system call that failed; the client's own stream errors (a cut connection, a
 * malformed form) do not.
 */
const isStorageFailure = (error: unknown): boolean =>
  typeof (error as NodeJS.ErrnoException | undefined)?.syscall === 'string';

/** 500 with a generic message (the system's words, paths included, stay in the log); the SDK retries. */
const storageFailure = (error: unknown): ApiError =>
  new ApiError(500, 'api_error', 'The file could not be stored: storage is failing on the server', {
    cause: error,
    retryable: true,
  });

const MIN_EXPIRY_SECONDS = 3600;
const MAX_EXPIRY_SECONDS = 7_776_000;

export const fileMetadata = (record: FileRecord) => ({
  id: record.id,
  type: 'file' as const,
  filename: record.filename,
  mime_type: record.mimeType,
  size_bytes: record.sizeBytes,
  created_at: record.createdAt,
  downloadable: record.downloadable,
  expires_at: record.expiresAt,
  scope: null,
});

function parseExpiry(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < MIN_EXPIRY_SECONDS || seconds > MAX_EXPIRY_SECONDS) {
    throw invalidRequest(
      `expires_in_seconds: Input should be an integer from ${MIN_EXPIRY_SECONDS} to ${MAX_EXPIRY_SECONDS}`,
    );
  }
  return seconds;
}

/** RFC 6266: an ASCII fallback name, and the exact name as RFC 5987 UTF-8 (`filename*`). */
export const contentDisposition = (filename: string): string =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

const tooLarge = (maxBytes: number) =>
  requestTooLarge(`File exceeds the maximum allowed size of ${maxBytes} bytes`);

export function registerFilesRoutes(
  app: FastifyInstance,
  files: FileService,
  workspaceOf: (request: FastifyRequest) => string,
): void {
  void app.register(multipart, {
    limits: { fileSize: files.maxBytes + 1, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
  });

  const load = async (request: FastifyRequest) => {
    const { fileId } = request.params as { fileId: string };
    const record = await files.get(workspaceOf(request), fileId);
    if (!record) throw notFound(`File not found: ${fileId}`);
    return record;
  };

  app.post('/v1/files', async (request) => {
    const workspace = workspaceOf(request);
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > files.maxBytes + 1024 * 1024) throw tooLarge(files.maxBytes);
    if (!request.isMultipart())
      throw invalidRequest('Uploads are multipart/form-data with the file in the field `file`');
    let stored: { blob: StoredBlob; filename: string } | undefined;
    let expiresInSeconds: number | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || stored) {
            part.file.resume();
            continue;
          }
          stored = { blob: await files.storeContent(part.file), filename: part.filename || 'unknown_file' };
        } else if (part.fieldname === 'expires_in_seconds') {
          expiresInSeconds = parseExpiry(String(part.value));
        }
      }
    } catch (error) {
      if (stored) await files.release(stored.blob).catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (error instanceof BlobTooLargeError || code === 'FST_REQ_FILE_TOO_LARGE')
        throw tooLarge(files.maxBytes);
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
        throw invalidRequest('Upload one file in the field `file` (and optionally expires_in_seconds)');
      }
      if (error instanceof ApiError) throw error;
      if (isStorageFailure(error)) throw storageFailure(error);
      throw invalidRequest(`The upload could not be read: ${(error as Error).message}`);
    }
    if (!stored) throw invalidRequest('file: Field required');
    // recorded only now: expires_in_seconds may come after the file part
    return fileMetadata(
      await files.record(workspace, stored.blob, { filename: stored.filename, expiresInSeconds }),
    );
  });

  app.get('/v1/files', async (request) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    // the GA `ids[]` filter: just those files of this workspace, newest first, in one page
    const ids = query['ids[]'] ?? query.ids;
    if (ids !== undefined) {
      const found = await Promise.all([ids].flat().map((id) => files.get(workspaceOf(request), id)));
      const data = found
        .filter((record) => record !== undefined)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map(fileMetadata);
      return {
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: false,
        next_page: null,
      };
    }
    for (const [name, value] of Object.entries(query)) {
      if (Array.isArray(value)) throw invalidRequest(`${name}: give it once`);
    }
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw invalidRequest('limit: Input should be between 1 and 1000');
    const afterId = (query.after_id ?? query.page) as string | undefined;
    const beforeId = query.before_id as string | undefined;
    if (afterId && beforeId) throw invalidRequest('Give after_id (or page) or before_id, not both');
    try {
      const page = await files.list(workspaceOf(request), {
        limit,
        ...(afterId ? { afterId } : {}),
        ...(beforeId ? { beforeId } : {}),
      });
      const data = page.data.map(fileMetadata);
      const firstId = data[0]?.id ?? null;
      const lastId = data.at(-1)?.id ?? null;
      return {
        data,
        first_id: firstId,
        last_id: lastId,
        has_more: page.hasMore,
        // PageCursor (GA): the cursor of the next page of older files
        next_page: page.hasMore && !beforeId ? lastId : null,
      };
    } catch (error) {
      if (error instanceof UnknownCursorError)
        throw invalidRequest(`Unknown file id in the page cursor: ${error.message}`);
      throw error;
    }
  });

  app.get('/v1/files/:fileId', async (request) => fileMetadata(await load(request)));

  app.get('/v1/files/:fileId/content', async (request, reply) => {
    const { fileId } = request.params as { fileId: string };
    const record = await files.get(workspaceOf(request), fileId);
    if (!record) {
      // an expired file that the collector has not purged yet: 404 file_expired (FileExpiredError)
      const expired = await files.findExpired(workspaceOf(request), fileId);
      if (expired) throw fileExpired(`File ${fileId} expired at ${expired.expiresAt}`);
      throw notFound(`File not found: ${fileId}`);
    }
    if (!record.downloadable) {
      throw fileNotDownloadable(
        `File ${record.id} is not downloadable: uploaded files cannot be downloaded (an operator can allow it with files.downloadable)`,
      );
    }
    return reply
      .header('content-type', record.mimeType)
      .header('content-length', record.sizeBytes)
      .header('content-disposition', contentDisposition(record.filename))
      .send(files.content(record));
  });

  app.delete('/v1/files/:fileId', async (request) => {
    const { fileId } = request.params as { fileId: string };
    const deleted = await files.delete(workspaceOf(request), fileId);
    if (!deleted) throw notFound(`File not found: ${fileId}`);
    return { id: deleted.id, type: 'file_deleted' };
  });
}
