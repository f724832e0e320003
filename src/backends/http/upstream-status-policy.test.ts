// Unit tests of the one upstream status policy: which status and type a client sees for an upstream's
// failure status, whatever protocol the upstream speaks.
import { describe, expect, it } from 'vitest';
import { ApiError, errorResponseHeaders } from '../../errors/index.js';
import { clientStatusFor, errorTypeForStatus, upstreamError } from './upstream-status-policy.js';

describe('the upstream status policy', () => {
  it.each([
    // relayed: SDK 1.15 has a class for each (the client raises it, and retries as it would have)
    [400, 400, 'invalid_request_error'],
    [402, 402, 'billing_error'],
    [404, 404, 'not_found_error'],
    [408, 408, 'timeout_error'],
    [409, 409, 'invalid_request_error'],
    [413, 413, 'request_too_large'],
    [422, 422, 'invalid_request_error'],
    [429, 429, 'rate_limit_error'],
    [500, 500, 'api_error'],
    [502, 502, 'api_error'],
    [503, 503, 'api_error'],
    [504, 504, 'timeout_error'],
    [529, 529, 'overloaded_error'],
    // a 4xx without a class of its own: the Claude API's 400
    [418, 400, 'invalid_request_error'],
    [451, 400, 'invalid_request_error'],
    // no answer at all: Sightline's failure
    [302, 500, 'api_error'],
    [304, 500, 'api_error'],
    [600, 500, 'api_error'],
  ] as const)('upstream %i → %i %s', (upstreamStatus, status, type) => {
    expect(clientStatusFor(upstreamStatus)).toBe(status);
    expect(errorTypeForStatus(status)).toBe(type);
    const error = upstreamError('up', upstreamStatus, { message: 'up: said no' });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, type, message: 'up: said no' });
  });

  it.each([401, 403])(
    "an upstream %i refuses Sightline's key: 500 api_error, not worth a retry, without the upstream's words",
    (upstreamStatus) => {
      const error = upstreamError(
        'claude',
        upstreamStatus,
        { message: 'invalid x-api-key sk-ant-api03-Ab12' },
        {
          'x-should-retry': 'true',
        },
      );
      expect(error).toMatchObject({
        status: 500,
        type: 'api_error',
        message: `claude: the upstream refused Sightline's credentials (HTTP ${upstreamStatus})`,
      });
      expect(errorResponseHeaders(error)).toEqual({ 'x-should-retry': 'false' });
    },
  );

  it("keeps the upstream's type and error code when its status is relayed, else the status's", () => {
    const reading = {
      message: 'slow down',
      type: 'rate_limit_error' as const,
      details: { error_code: 'ramp_limit_exceeded' },
    };
    expect(upstreamError('up', 429, reading)).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      details: { error_code: 'ramp_limit_exceeded' },
    });
    const odd = upstreamError('up', 418, { ...reading, type: 'overloaded_error' });
    expect(odd).toMatchObject({ status: 400, type: 'invalid_request_error', details: undefined });
  });

  it('passes the retry hints on; without them the status decides', () => {
    const hints = { 'retry-after': '12', 'retry-after-ms': '11500', 'x-should-retry': 'true' };
    expect(errorResponseHeaders(upstreamError('up', 503, { message: 'busy' }, hints))).toEqual(hints);
    expect(errorResponseHeaders(upstreamError('up', 422, { message: 'bad' }))).toEqual({
      'x-should-retry': 'false',
    });
    expect(errorResponseHeaders(upstreamError('up', 503, { message: 'busy' }))).toEqual({
      'x-should-retry': 'true',
    });
  });
});
