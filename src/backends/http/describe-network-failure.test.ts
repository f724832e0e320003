// Unit tests of the address-free description of upstream network failures.
import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from './describe-network-failure.js';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('describeNetworkFailure', () => {
  it.each([
    [fetchFailed(coded('connect ECONNREFUSED 10.1.2.3:8000', 'ECONNREFUSED')), 'connection refused'],
    [fetchFailed(coded('getaddrinfo ENOTFOUND vllm.internal', 'ENOTFOUND')), 'DNS lookup failed'],
    [fetchFailed(coded('getaddrinfo EAI_AGAIN vllm.internal', 'EAI_AGAIN')), 'DNS lookup failed'],
    [
      fetchFailed(
        coded('Connect Timeout Error (attempted address: 10.1.2.3:443)', 'UND_ERR_CONNECT_TIMEOUT'),
      ),
      'timed out',
    ],
    [coded('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT'), 'timed out'],
    [
      new TypeError('terminated', { cause: coded('other side closed', 'UND_ERR_SOCKET') }),
      'connection reset',
    ],
    [fetchFailed(coded('connect EHOSTUNREACH 10.1.2.3:443', 'EHOSTUNREACH')), 'network unreachable'],
    [fetchFailed(coded('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')), 'TLS handshake failed'],
    [
      fetchFailed(new AggregateError([coded('connect ECONNREFUSED ::1:80', 'ECONNREFUSED')], '')),
      'connection refused',
    ],
    [fetchFailed(new Error('something new at http://u:p@10.1.2.3/')), 'network error'],
    ['a string', 'network error'],
  ])('%s → %s', (error, description) => {
    expect(describeNetworkFailure(error)).toBe(description);
  });
});
