// A fixed, address-free description of a failed upstream request (see network-failure.ts). The raw
// error can name the upstream's host, port and full URL (credentials included): it stays in `cause`.

/** e.g. `connection refused`, `timed out`, `DNS lookup failed`; `network error` when nothing is known. */
export function describeNetworkFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    const known = describeOne(current);
    if (known !== undefined) return known;
    // undici wraps the real reason (`terminated`, `fetch failed`), sometimes in an AggregateError.
    const first: unknown = current instanceof AggregateError ? current.errors[0] : undefined;
    current = current.cause ?? first;
  }
  return 'network error';
}

function describeOne(error: Error): string | undefined {
  const code = (error as Error & { code?: unknown }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return 'DNS lookup failed';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timed out';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return 'network unreachable';
  }
  if (
    typeof code === 'string' &&
    /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/.test(code)
  ) {
    return 'TLS handshake failed';
  }
  return undefined;
}
