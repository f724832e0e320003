// The one error hierarchy of Sightline. Every rejection is an ApiError that knows its HTTP status and
// its wire `error.type`; `toErrorEnvelope` is the only place that builds an error body.

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;

  constructor(status: number, type: ApiErrorType, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
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

export interface ErrorEnvelope {
  type: 'error';
  error: { type: ApiErrorType; message: string; details?: { error_code: string } };
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
  const { details } = apiError as { details?: { error_code: string } };
  if (details !== undefined) body.error.details = details;
  if (requestId !== undefined) body.request_id = requestId;
  return { status: apiError.status, body, known };
}
