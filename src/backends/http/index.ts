// The transport the remote backends share (one keep-alive pool each, timeouts, capped reads) and the
// one policy that turns an upstream's failure into Sightline's error.
export { untilCancelled } from './until-cancelled.js';
export { DEFAULT_UPSTREAM_TIMEOUT_MS } from './upstream-limits.js';
export {
  credentialRefusal,
  type UpstreamErrorReading,
  upstreamError,
} from './upstream-status-policy.js';
export {
  createUpstreamTransport,
  type ErrorBodyReader,
  type UpstreamAnswer,
  type UpstreamTransport,
  type UpstreamTransportSettings,
} from './upstream-transport.js';
