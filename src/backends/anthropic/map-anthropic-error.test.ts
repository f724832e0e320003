// Unit tests of how an Anthropic upstream's errors are read: envelopes, other bodies, in-band events.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import { upstreamError } from '../http/index.js';
import { mapInBandError, readAnthropicErrorBody } from './map-anthropic-error.js';

const envelope = (type: string, message: string) =>
  JSON.stringify({ type: 'error', error: { type, message } });

/** A failed answer as the transport maps it: this protocol's reading, the one status policy. */
const mapUpstreamErrorResponse = (backendName: string, status: number, bodyText: string) =>
  upstreamError(backendName, status, readAnthropicErrorBody(bodyText, { backendName, status }));

describe('readAnthropicErrorBody', () => {
  it('keeps the upstream status, type and message of an envelope', () => {
    const error = mapUpstreamErrorResponse('up', 400, envelope('invalid_request_error', 'max_tokens: bad'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', message: 'max_tokens: bad' });
    expect(mapUpstreamErrorResponse('up', 504, envelope('timeout_error', 'slow'))).toMatchObject({
      status: 504,
      type: 'timeout_error',
    });
    expect(mapUpstreamErrorResponse('up', 402, envelope('billing_error', 'pay up'))).toMatchObject({
      status: 402,
      type: 'billing_error',
      message: 'pay up',
    });
  });

  it('reads the error code of an envelope', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'big', details: { error_code: 'x_y', n: 1 } },
    });
    expect(readAnthropicErrorBody(body, { backendName: 'up', status: 400 })).toEqual({
      message: 'big',
      type: 'invalid_request_error',
      details: { error_code: 'x_y', n: 1 },
    });
  });

  it('maps an envelope with a type Sightline does not know by its status', () => {
    expect(mapUpstreamErrorResponse('up', 529, envelope('brand_new_error', 'busy'))).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      message: 'busy',
    });
  });

  it.each([401, 403])(
    'maps an upstream %i to 500 api_error: the operator key is wrong, and its message is not relayed',
    (status) => {
      const body = envelope('authentication_error', 'invalid x-api-key: sk-ant-api03-Ab12****wxYZ');
      const error = mapUpstreamErrorResponse('claude', status, body);
      expect(error).toMatchObject({
        status: 500,
        type: 'api_error',
        message: `claude: the upstream refused Sightline's credentials (HTTP ${status})`,
      });
      expect(error.message).not.toContain('sk-');
      expect(mapUpstreamErrorResponse('claude', status, 'Incorrect key sk-123').message).not.toContain('sk-');
    },
  );

  it('maps a body that is not an envelope by status and quotes it', () => {
    const error = mapUpstreamErrorResponse('gateway', 502, '<html>Bad Gateway</html>');
    expect(error).toMatchObject({ status: 502, type: 'api_error' });
    expect(error.message).toBe('gateway: upstream answered HTTP 502: <html>Bad Gateway</html>');
    expect(mapUpstreamErrorResponse('gateway', 429, '')).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      message: 'gateway: upstream answered HTTP 429',
    });
    expect(mapUpstreamErrorResponse('gateway', 302, '')).toMatchObject({ status: 500, type: 'api_error' });
  });
});

describe('mapInBandError', () => {
  it.each([
    ['overloaded_error', 529, 'overloaded_error'],
    ['api_error', 500, 'api_error'],
    ['rate_limit_error', 500, 'rate_limit_error'],
    ['something_new', 500, 'api_error'],
  ])('%s → %i %s', (upstreamType, status, type) => {
    const error = mapInBandError('up', { type: 'error', error: { type: upstreamType, message: 'oops' } });
    expect(error).toMatchObject({ status, type, message: 'oops' });
  });

  it.each(['authentication_error', 'permission_error'])(
    'does not relay the message of an in-band %s',
    (upstreamType) => {
      const error = mapInBandError('up', {
        type: 'error',
        error: { type: upstreamType, message: 'sk-ant-x' },
      });
      expect(error).toMatchObject({
        status: 500,
        type: 'api_error',
        message: `up: the upstream refused Sightline's credentials (${upstreamType})`,
      });
    },
  );

  it('reports a malformed error event as api_error', () => {
    expect(mapInBandError('up', { type: 'error' })).toMatchObject({ status: 500, type: 'api_error' });
  });
});
