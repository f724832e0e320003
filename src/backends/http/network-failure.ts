// A request that got no complete answer from its upstream, as Sightline's error: 500 api_error with a
// fixed, address-free description (the raw error, which can name the upstream's address and the
// credentials in its URL, stays in `cause` for the operator's logs) — or, when the caller aborted,
// the one RequestCancelledError.
import { ApiError, RequestCancelledError } from '../../errors/index.js';
import { describeNetworkFailure } from './describe-network-failure.js';

/** Before any answer (`connect`: refused, DNS, timed out waiting for headers) or in the middle of one. */
export type FailurePhase = 'connect' | 'stream';

export function networkFailure(
  backendName: string,
  error: unknown,
  signal: AbortSignal,
  phase: FailurePhase,
): ApiError {
  if (signal.aborted) return new RequestCancelledError(signal.reason);
  if (error instanceof ApiError) return error;
  const what = phase === 'connect' ? 'upstream unreachable' : 'upstream stream interrupted';
  return new ApiError(500, 'api_error', `${backendName}: ${what} (${describeNetworkFailure(error)})`, {
    cause: error,
  });
}
