// Unit tests of how an OpenAI-compatible upstream's errors are read: error bodies, in-stream payloads.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import { upstreamError } from '../http/index.js';
import {
  extractUpstreamErrorMessage,
  mapUpstreamErrorPayload,
  readOpenAiErrorBody,
} from './map-openai-error.js';

/** A failed answer as the transport maps it: this protocol's reading, the one status policy. */
const mapUpstreamHttpError = (backendName: string, status: number, bodyText: string) =>
  upstreamError(backendName, status, readOpenAiErrorBody(bodyText, { backendName, status }));

describe('readOpenAiErrorBody', () => {
  it.each([
    [400, 400, 'invalid_request_error'],
    [422, 422, 'invalid_request_error'],
    [404, 404, 'not_found_error'],
    [429, 429, 'rate_limit_error'],
    [503, 503, 'api_error'],
    [529, 529, 'overloaded_error'],
    [502, 502, 'api_error'],
  ] as const)(
    "upstream %i → %i %s: the one policy, never the upstream's own type",
    (upstreamStatus, status, type) => {
      const error = mapUpstreamHttpError(
        'vllm',
        upstreamStatus,
        '{"error":{"message":"bad","type":"server_error"}}',
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, type, message: 'vllm: bad' });
    },
  );

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
