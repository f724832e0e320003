// The CLI's one HTTP client (undici fetch): auth and version headers, `anthropic-beta` and `?beta=true`,
// JSON bodies, multipart uploads streamed from disk, and non-2xx answers turned into ApiResponseError.
import { openAsBlob } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { extname } from 'node:path';
import { FormData, fetch, type Response } from 'undici';
import { VERSION } from './version.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface UploadPart {
  /** the part's filename (the basename of the path) */
  filename: string;
  contentType: string;
  /** streamed from this file … */
  path?: string;
  /** … or sent from memory (stdin) */
  bytes?: Uint8Array;
  /** other form fields sent with the file, e.g. expires_in_seconds */
  fields?: Readonly<Record<string, string>>;
}

export interface ApiRequest {
  method: HttpMethod;
  /** starts with /v1/ */
  path: string;
  /** a list is sent as the key repeated, one value each (`group_by[]=model&group_by[]=api_key_id`) */
  query?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
  /** adds `?beta=true`, as the Go SDK does for beta resources */
  beta?: boolean;
  /** sent comma-joined as `anthropic-beta` */
  betas?: readonly string[];
  json?: unknown;
  upload?: UploadPart;
  accept?: string;
  /** more request headers (Sightline's own, such as `sightline-repair`) */
  headers?: Readonly<Record<string, string>>;
}

export interface ApiClientSettings {
  baseUrl: string;
  apiKey?: string | undefined;
  authToken?: string | undefined;
  /** called with one line per request and response when --debug is on */
  debug?: ((line: string) => void) | undefined;
}

/** A non-2xx answer: printed as docs/rules/cli.md §7 says (`<METHOD> "<URL>": <status> <Status Text>` + body). */
export class ApiResponseError extends Error {
  override name = 'ApiResponseError';
  constructor(
    readonly method: HttpMethod,
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly bodyText: string,
  ) {
    super(`${method} ${JSON.stringify(url)}: ${status} ${statusText}`);
  }
}

/** The server could not be reached (refused, reset, DNS, TLS). */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** What to do about a connection failure, for the codes a person can act on. */
function connectionHint(baseUrl: string, code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `\nNothing is listening at ${baseUrl}. Start Sightline first ('npm start' in its folder, or 'sightline serve'), or point --base-url / ANTHROPIC_BASE_URL at a running server.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `\nThe host of ${baseUrl} could not be resolved: check --base-url / ANTHROPIC_BASE_URL.`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return '\nThe server closed the connection: check its log.';
    default:
      return '';
  }
}

export interface ApiClient {
  url(request: Pick<ApiRequest, 'path' | 'query' | 'beta'>): string;
  /** Resolves with a 2xx response (body unread); rejects with ApiResponseError or ConnectionError. */
  send(request: ApiRequest): Promise<Response>;
}

/** Go's built-in mime.TypeByExtension table (plus .txt, .csv, .md), else application/octet-stream. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.avif': 'image/avif',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.gif': 'image/gif',
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webp': 'image/webp',
  '.xml': 'text/xml; charset=utf-8',
};

export const contentTypeForFile = (name: string): string =>
  CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';

export function createApiClient(settings: ApiClientSettings): ApiClient {
  const url: ApiClient['url'] = ({ path, query, beta }) => {
    const search = new URLSearchParams();
    if (beta) search.set('beta', 'true');
    for (const [key, value] of Object.entries(query ?? {})) {
      if (Array.isArray(value)) for (const item of value) search.append(key, item);
      else if (value !== undefined) search.set(key, String(value));
    }
    const text = search.toString();
    return `${settings.baseUrl}${path}${text ? `?${text}` : ''}`;
  };

  async function body(request: ApiRequest): Promise<{ body?: string | FormData; type?: string }> {
    if (request.upload) {
      const { upload } = request;
      const blob = upload.path
        ? await openAsBlob(upload.path, { type: upload.contentType })
        : new Blob([new Uint8Array(upload.bytes ?? [])], { type: upload.contentType });
      const form = new FormData();
      form.append('file', blob, upload.filename);
      for (const [name, value] of Object.entries(upload.fields ?? {})) form.append(name, value);
      return { body: form };
    }
    if (request.json !== undefined) return { body: JSON.stringify(request.json), type: 'application/json' };
    return {};
  }

  return {
    url,
    async send(request) {
      const target = url(request);
      const headers: Record<string, string> = {
        accept: request.accept ?? 'application/json',
        'anthropic-version': '2023-06-01',
        'user-agent': `Sightline/CLI ${VERSION}`,
        ...request.headers,
      };
      if (settings.apiKey) headers['x-api-key'] = settings.apiKey;
      if (settings.authToken) headers.authorization = `Bearer ${settings.authToken}`;
      if (request.betas && request.betas.length > 0) headers['anthropic-beta'] = request.betas.join(',');
      const { body: payload, type } = await body(request);
      if (type) headers['content-type'] = type;
      settings.debug?.(
        `→ ${request.method} ${target}${headers['anthropic-beta'] ? ` (anthropic-beta: ${headers['anthropic-beta']})` : ''}`,
      );
      let response: Response;
      try {
        response = await fetch(target, {
          method: request.method,
          headers,
          ...(payload !== undefined ? { body: payload } : {}),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new ConnectionError(
          `${request.method} ${JSON.stringify(target)}: ${reason}${connectionHint(settings.baseUrl, cause?.code)}`,
        );
      }
      settings.debug?.(`← ${response.status} ${response.headers.get('content-type') ?? ''}`);
      if (!response.ok) {
        const text = await response.text();
        throw new ApiResponseError(
          request.method,
          target,
          response.status,
          response.statusText || STATUS_CODES[response.status] || '',
          text,
        );
      }
      return response;
    },
  };
}
