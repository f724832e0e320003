// Both remote backends pass an upstream's retry hints (and an Anthropic upstream's error code) on with
// the error they map, so the client's SDK waits and classifies as the upstream asked.
import { describe, expect, it } from 'vitest';
import { errorResponseHeaders, toErrorEnvelope } from '../errors/index.js';
import { mapUpstreamErrorResponse } from './anthropic/map-anthropic-error.js';
import { mapUpstreamHttpError } from './openai-compatible/map-openai-error.js';

const hints = { 'retry-after': '12', 'retry-after-ms': '11500', 'x-should-retry': 'true' };

describe('retry hints from upstreams', () => {
  it('an Anthropic upstream: hints and error.details kept', () => {
    const body = JSON.stringify({
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'slow down',
        details: { error_code: 'ramp_limit_exceeded' },
      },
    });
    const error = mapUpstreamErrorResponse('claude', 429, body, hints);
    expect(errorResponseHeaders(error)).toEqual(hints);
    expect(toErrorEnvelope(error).body.error).toEqual({
      type: 'rate_limit_error',
      message: 'slow down',
      details: { error_code: 'ramp_limit_exceeded' },
    });
  });

  it('an OpenAI-compatible upstream: hints kept, statuses mapped as before', () => {
    const error = mapUpstreamHttpError('vllm', 503, '{"error":{"message":"busy"}}', hints);
    expect(error.status).toBe(529);
    expect(errorResponseHeaders(error)).toEqual(hints);
  });

  it('without hints, the policy decides; a refused upstream key is not worth a retry', () => {
    expect(errorResponseHeaders(mapUpstreamErrorResponse('claude', 400, '{}'))).toEqual({
      'x-should-retry': 'false',
    });
    expect(errorResponseHeaders(mapUpstreamErrorResponse('claude', 401, '{}', hints))).toEqual({
      'x-should-retry': 'false',
    });
    expect(errorResponseHeaders(mapUpstreamHttpError('vllm', 403, 'no', hints))).toEqual({
      'x-should-retry': 'false',
    });
  });
});
