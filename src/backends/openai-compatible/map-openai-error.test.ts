// Unit tests of upstream error mapping: HTTP statuses, message extraction, in-stream payloads, network.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import {
  extractUpstreamErrorMessage,
  mapUpstreamErrorPayload,
  mapUpstreamHttpError,
  mapUpstreamNetworkError,
} from './map-openai-error.js';

describe('mapUpstreamHttpError', () => {
  it.each([
    [400, 400, 'invalid_request_error'],
    [422, 400, 'invalid_request_error'],
    [401, 401, 'authentication_error'],
    [403, 403, 'permission_error'],
    [404, 404, 'not_found_error'],
    [413, 413, 'request_too_large'],
    [429, 429, 'rate_limit_error'],
    [503, 529, 'overloaded_error'],
    [529, 529, 'overloaded_error'],
    [500, 500, 'api_error'],
    [502, 500, 'api_error'],
    [409, 500, 'api_error'],
  ] as const)('upstream %i → %i %s', (upstreamStatus, status, type) => {
    const error = mapUpstreamHttpError('vllm', upstreamStatus, '{"error":{"message":"bad","type":"x"}}');
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, type, message: 'vllm: bad' });
  });

  it('falls back to the status when the body says nothing', () => {
    expect(mapUpstreamHttpError('ollama', 502, '  ').message).toBe('ollama: upstream answered HTTP 502');
  });
});

describe('extractUpstreamErrorMessage', () => {
  it.each([
    ['{"error":{"message":"model not found","type":"invalid_request_error"}}', 'model not found'],
    [
      '{"error":"model \\"x\\" not found, try pulling it first"}',
      'model "x" not found, try pulling it first',
    ],
    ['{"object":"error","message":"context too long","code":400}', 'context too long'],
    ['{"detail":"Not Found"}', 'Not Found'],
    [
      '{"detail":[{"loc":["body","model"],"msg":"field required"}]}',
      '[{"loc":["body","model"],"msg":"field required"}]',
    ],
    ['Bad Gateway\n', 'Bad Gateway'],
    ['', ''],
  ])('%s → %s', (bodyText, message) => {
    expect(extractUpstreamErrorMessage(bodyText)).toBe(message);
  });

  it('truncates very long bodies', () => {
    expect(extractUpstreamErrorMessage('x'.repeat(5000)).length).toBe(2001);
  });
});

describe('mapUpstreamErrorPayload', () => {
  it('uses a numeric error.code as the upstream status', () => {
    expect(
      mapUpstreamErrorPayload('vllm', { message: 'too long', type: 'BadRequestError', code: 400 }),
    ).toMatchObject({ status: 400, type: 'invalid_request_error', message: 'vllm: too long' });
  });

  it('defaults to 500 api_error, and reads string errors', () => {
    expect(mapUpstreamErrorPayload('lm', { message: 'boom', code: 'internal' })).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'lm: boom',
    });
    expect(mapUpstreamErrorPayload('lm', 'oops')).toMatchObject({ status: 500, message: 'lm: oops' });
  });
});

describe('mapUpstreamNetworkError', () => {
  it('unwraps undici causes into an upstream-unreachable api_error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = mapUpstreamNetworkError(
      'ollama',
      new TypeError('fetch failed', { cause: refused }),
      'connect',
    );
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'ollama: upstream unreachable: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('describes an AggregateError without a message by its first error', () => {
    const aggregate = new AggregateError([new Error('connect ECONNREFUSED ::1:9')], '');
    const error = mapUpstreamNetworkError(
      'x',
      new TypeError('fetch failed', { cause: aggregate }),
      'connect',
    );
    expect(error.message).toBe('x: upstream unreachable: connect ECONNREFUSED ::1:9');
  });
});
