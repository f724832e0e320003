export {
  ApiError,
  type ApiErrorType,
  apiInternalError,
  authenticationError,
  type ErrorEnvelope,
  invalidRequest,
  notFound,
  requestTooLarge,
  toErrorEnvelope,
} from './api-error.js';
