// Unit tests of network failures as Sightline's error: address-free, phase named, abort distinct.
import { describe, expect, it } from 'vitest';
import { ApiError, RequestCancelledError } from '../../errors/index.js';
import { networkFailure } from './network-failure.js';

const live = new AbortController().signal;

describe('networkFailure', () => {
  it('says what failed, never quoting the address, and keeps the error as the cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', { cause: refused });
    const error = networkFailure('ollama', wrapped, live, 'connect');
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'ollama: upstream unreachable (connection refused)',
    });
    expect(error.cause).toBe(wrapped);
  });

  it('looks inside an AggregateError, and names the mid-answer phase', () => {
    const aggregate = new AggregateError(
      [Object.assign(new Error('connect ECONNREFUSED ::1:9'), { code: 'ECONNREFUSED' })],
      '',
    );
    expect(
      networkFailure('x', new TypeError('fetch failed', { cause: aggregate }), live, 'connect').message,
    ).toBe('x: upstream unreachable (connection refused)');
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(networkFailure('x', reset, live, 'stream').message).toBe(
      'x: upstream stream interrupted (connection reset)',
    );
  });

  it("keeps Sightline's own errors (a body past its cap, say) as they are", () => {
    const own = new ApiError(500, 'api_error', 'x: the upstream response exceeded 10 bytes');
    expect(networkFailure('x', own, live, 'stream')).toBe(own);
  });

  it("is RequestCancelledError whenever the caller's signal aborted, whatever the failure", () => {
    const controller = new AbortController();
    controller.abort();
    const error = networkFailure('x', new Error('This operation was aborted'), controller.signal, 'stream');
    expect(error).toBeInstanceOf(RequestCancelledError);
    expect(error).toMatchObject({ status: 499, type: 'invalid_request_error' });
    expect(error.cause).toBe(controller.signal.reason);
  });
});
