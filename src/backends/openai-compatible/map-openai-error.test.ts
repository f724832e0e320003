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

  it.each([401, 403])(
    'maps an upstream %i to 500 api_error without the upstream message (it can quote the key)',
    (upstreamStatus) => {
      const error = mapUpstreamHttpError(
        'openai',
        upstreamStatus,
        '{"error":{"message":"Incorrect API key provided: sk-proj-Ab12****wxYZ"}}',
      );
      expect(error).toMatchObject({
        status: 500,
        type: 'api_error',
        message: `openai: the upstream refused Sightline's credentials (HTTP ${upstreamStatus})`,
      });
      expect(error.message).not.toContain('sk-');
      expect(error.message).not.toContain('Incorrect');
    },
  );

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

  it('does not relay the message of an in-stream 401', () => {
    expect(
      mapUpstreamErrorPayload('vllm', {
        message: 'Incorrect API key provided: sk-proj-Ab12****wxYZ',
        code: 401,
      }),
    ).toMatchObject({
      status: 500,
      type: 'api_error',
      message: "vllm: the upstream refused Sightline's credentials (HTTP 401)",
    });
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
  it('says what failed, never quoting the address, and keeps the error as the cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', { cause: refused });
    const error = mapUpstreamNetworkError('ollama', wrapped, 'connect');
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
    const error = mapUpstreamNetworkError(
      'x',
      new TypeError('fetch failed', { cause: aggregate }),
      'connect',
    );
    expect(error.message).toBe('x: upstream unreachable (connection refused)');
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(
      mapUpstreamNetworkError('x', new TypeError('terminated', { cause: reset }), 'stream').message,
    ).toBe('x: upstream connection failed mid-answer (connection reset)');
  });
});
