import { describe, expect, it } from 'vitest';
import {
  ApiError,
  detailsPath,
  errorResponseHeaders,
  fileExpired,
  fileNotDownloadable,
  imageDimensionsTooLarge,
  invalidRequest,
  overloaded,
  pickRetryHints,
  rateLimited,
  reasonPhrase,
  toErrorEnvelope,
} from './index.js';

describe('the error envelope', () => {
  it('carries details only when the error has a code', () => {
    expect(toErrorEnvelope(invalidRequest('bad'), 'req_1').body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad' },
      request_id: 'req_1',
    });
    const tooLarge = imageDimensionsTooLarge('too big', 8000, ['messages.0.content.1']);
    expect(toErrorEnvelope(tooLarge).body.error).toEqual({
      type: 'invalid_request_error',
      message: 'too big',
      details: {
        error_code: 'image_dimensions_too_large',
        max_side_length_pixels: 8000,
        paths: ['messages.0.content.1'],
      },
    });
  });

  it('gives the statuses SDK 1.15 maps the file codes from', () => {
    expect(toErrorEnvelope(fileNotDownloadable('no')).status).toBe(400);
    expect(fileNotDownloadable('no').details).toEqual({ error_code: 'file_not_downloadable' });
    expect(toErrorEnvelope(fileExpired('gone')).status).toBe(404);
    expect(fileExpired('gone').details).toEqual({ error_code: 'file_expired' });
  });

  it('unknown errors become a 500 api_error without details', () => {
    expect(toErrorEnvelope(new Error('secret'))).toMatchObject({
      status: 500,
      known: false,
      body: { error: { type: 'api_error', message: 'Internal server error' } },
    });
  });

  it('writes nested block paths as the SDK documents them', () => {
    expect(detailsPath('messages.3.content.0.tool_result.content.1')).toBe('messages.3.content.0.content.1');
    expect(detailsPath('messages.0.content.2')).toBe('messages.0.content.2');
  });
});

describe('x-should-retry and retry-after', () => {
  it('false on client errors, true on transient ones', () => {
    expect(errorResponseHeaders(invalidRequest('x'))).toEqual({ 'x-should-retry': 'false' });
    expect(errorResponseHeaders(new ApiError(404, 'not_found_error', 'x'))['x-should-retry']).toBe('false');
    for (const status of [408, 409, 429, 500, 503, 504, 529]) {
      const error = new ApiError(status, 'api_error', 'x');
      expect(errorResponseHeaders(error)['x-should-retry'], String(status)).toBe('true');
    }
    expect(errorResponseHeaders(new Error('unknown'))['x-should-retry']).toBe('true');
  });

  it('an error may opt out, and an upstream hint wins over the policy', () => {
    expect(
      errorResponseHeaders(new ApiError(500, 'api_error', 'bad key', { retryable: false }))['x-should-retry'],
    ).toBe('false');
    const passed = new ApiError(429, 'rate_limit_error', 'slow down', {
      headers: { 'retry-after': '7', 'retry-after-ms': '6500', 'x-should-retry': 'false' },
    });
    expect(errorResponseHeaders(passed)).toEqual({
      'retry-after': '7',
      'retry-after-ms': '6500',
      'x-should-retry': 'false',
    });
  });

  it('a rate limit rounds its retry-after up to whole seconds', () => {
    expect(errorResponseHeaders(rateLimited('slow', 1.2))).toEqual({
      'retry-after': '2',
      'x-should-retry': 'true',
    });
    expect(overloaded().message).toBe('Overloaded');
  });

  it('picks only the retry hints from upstream headers', () => {
    const headers = new Headers({ 'retry-after': '3', 'content-type': 'x', 'x-should-retry': 'true' });
    expect(pickRetryHints(headers)).toEqual({ 'retry-after': '3', 'x-should-retry': 'true' });
  });

  it('names 529 Overloaded in the status line', () => {
    expect(reasonPhrase(529)).toBe('Overloaded');
    expect(reasonPhrase(429)).toBe('Too Many Requests');
  });
});
