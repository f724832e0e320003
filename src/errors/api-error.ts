// The one error hierarchy of Sightline (docs/rules/wire.md §2). Every rejection is an ApiError that knows its HTTP status, its
// wire `error.type`, optional `error.details` (the code SDK 1.x maps to an error class) and the response
// headers it brings (an upstream's retry hints); `toErrorEnvelope` is the only place that builds a body.

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/** `error.details` (docs/rules/wire.md §2.3): SDK ≥ 1.12 picks the error class from `status + error_code`. */
export interface ErrorDetails {
  error_code: string;
  [field: string]: unknown;
}

export interface ApiErrorOptions {
  cause?: unknown;
  details?: ErrorDetails;
  /**
   * Response headers this error brings: `retry-after`, `retry-after-ms`, `x-should-retry` passed through
   * from an upstream, or a rate limiter's `retry-after` and `anthropic-ratelimit-*` headers.
   */
  headers?: Record<string, string>;
  /** Overrides the status's retry policy (`x-should-retry`), e.g. false for a misconfigured upstream key. */
  retryable?: boolean;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly details: ErrorDetails | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly retryable: boolean | undefined;

  constructor(status: number, type: ApiErrorType, message: string, options?: ApiErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.details = options?.details;
    this.headers = options?.headers ?? {};
    this.retryable = options?.retryable;
  }
}

export const invalidRequest = (message: string, cause?: unknown): ApiError =>
  new ApiError(400, 'invalid_request_error', message, cause === undefined ? undefined : { cause });

export const authenticationError = (message: string): ApiError =>
  new ApiError(401, 'authentication_error', message);

export const notFound = (message: string): ApiError => new ApiError(404, 'not_found_error', message);

export const requestTooLarge = (message: string): ApiError => new ApiError(413, 'request_too_large', message);

export const apiInternalError = (message = 'Internal server error'): ApiError =>
  new ApiError(500, 'api_error', message);

/** 529, as the API words it (`{"type":"overloaded_error","message":"Overloaded"}`). */
export const overloaded = (message = 'Overloaded', options?: ApiErrorOptions): ApiError =>
  new ApiError(529, 'overloaded_error', message, options);

/** 429 with the `retry-after` the client should wait (seconds, rounded up) and any rate-limit headers. */
export const rateLimited = (
  message: string,
  retryAfterSeconds?: number,
  headers: Record<string, string> = {},
): ApiError =>
  new ApiError(429, 'rate_limit_error', message, {
    headers:
      retryAfterSeconds === undefined
        ? headers
        : { ...headers, 'retry-after': String(Math.max(0, Math.ceil(retryAfterSeconds))) },
  });

/**
 * An image over the hard size limit (8000 px, or 2000 px in a request of more than 20 images): SDK 1.15
 * raises `ImageDimensionsTooLargeError`. `paths` lists every offending image in request order, nested
 * blocks as `messages.0.content.1.content.0` (see `detailsPath`).
 */
export const imageDimensionsTooLarge = (
  message: string,
  maxSideLengthPixels: number,
  paths: readonly string[],
): ApiError =>
  new ApiError(400, 'invalid_request_error', message, {
    details: {
      error_code: 'image_dimensions_too_large',
      max_side_length_pixels: maxSideLengthPixels,
      paths: [...paths],
    },
  });

/** The SDK's path form of a block path: `messages.3.content.0.tool_result.content.1` → `messages.3.content.0.content.1`. */
export const detailsPath = (blockPath: string): string =>
  blockPath.replace(/\.tool_result\.content\./g, '.content.');

/** Download of a file with `downloadable: false`: 400 `FileNotDownloadableError` in SDK 1.15. */
export const fileNotDownloadable = (message: string): ApiError =>
  new ApiError(400, 'invalid_request_error', message, { details: { error_code: 'file_not_downloadable' } });

/** Content of a file past its `expires_at`: 404 `FileExpiredError` in SDK 1.15. */
export const fileExpired = (message: string): ApiError =>
  new ApiError(404, 'not_found_error', message, { details: { error_code: 'file_expired' } });

/**
 * The caller cancelled the request (its client went away): the one error every backend throws for an
 * aborted signal, whatever was under way (connecting, streaming, reading text from an image). 499 is
 * nginx's "client closed request": it is logged as such and never sent, since nobody is there to read it.
 */
export class RequestCancelledError extends ApiError {
  constructor(cause?: unknown) {
    super(
      499,
      'invalid_request_error',
      'The client closed the connection before the answer; its work was cancelled',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'RequestCancelledError';
  }
}

/** `signal.throwIfAborted()`, throwing RequestCancelledError instead of the signal's raw reason. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new RequestCancelledError(signal.reason);
}

export interface ErrorEnvelope {
  type: 'error';
  error: { type: ApiErrorType; message: string; details?: ErrorDetails };
  request_id?: string;
}

/** Turns any thrown value into a status and the wire error envelope; unknown errors become 500 api_error. */
export function toErrorEnvelope(
  error: unknown,
  requestId?: string,
): { status: number; body: ErrorEnvelope; known: boolean } {
  const known = error instanceof ApiError;
  const apiError = known ? error : apiInternalError();
  const body: ErrorEnvelope = { type: 'error', error: { type: apiError.type, message: apiError.message } };
  if (apiError.details !== undefined) body.error.details = apiError.details;
  if (requestId !== undefined) body.request_id = requestId;
  return { status: apiError.status, body, known };
}
