// Network helpers: the one guarded door for untrusted URLs, SSE decoding, safe JSON for network input.

export {
  type AddressPolicy,
  createAddressPolicy,
  createGuardedFetcher,
  DEFAULT_MAX_REDIRECTS,
  type FetchedResource,
  type GuardedFetcher,
  type GuardedFetchOptions,
} from './guarded-fetch.js';
export { headerValue } from './header-value.js';
export { isRecord } from './is-record.js';
export { PrototypePoisoningError, parseJsonBody } from './parse-json-body.js';
export { pathOf } from './request-path.js';
export { parseJson } from './safe-json.js';
export { checkJsonLimits, JsonLimitError, type JsonLimits } from './scan-json-limits.js';
export {
  createServerSentEventDecoder,
  decodeServerSentEvents,
  type ServerSentEvent,
  type ServerSentEventDecoder,
} from './server-sent-events.js';
