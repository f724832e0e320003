// The one guarded door through which Sightline downloads untrusted `url` image sources: http(s) only, every
// dialled address checked (literal or resolved, on every redirect hop), with connect, header, total and size caps
// (docs/rules/pipeline.md §6).

import type { LookupAddress } from 'node:dns';
import { lookup as resolveHostName } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import type { Response } from 'undici';
import { Agent, buildConnector, fetch } from 'undici';
import type { ApiError } from '../errors/index.js';
import { invalidRequest } from '../errors/index.js';

export interface GuardedFetchOptions {
  /** When true, private, loopback, link-local, CGNAT and unique-local addresses are allowed
   * (config `--allow-private-urls`). Cloud metadata and non-unicast addresses stay refused. */
  allowPrivate: boolean;
  /** Explicit IPs or CIDRs (`10.1.2.3`, `10.1.0.0/16`, `fd00::/8`) allowed even though they are special-purpose. */
  allowAddresses?: string[];
  /** Body cap in bytes, enforced while streaming; a Content-Length over the cap fails before the body is read. */
  maxBytes: number;
  /** Time to open the connection, DNS resolution included. */
  connectTimeoutMs: number;
  /** Time from sending the request to receiving the response headers. */
  headersTimeoutMs: number;
  /** Deadline for the whole download, all redirect hops and the body included. */
  totalTimeoutMs: number;
  /** Redirect hops followed before giving up; every hop is checked again. Defaults to 5. */
  maxRedirects?: number;
}

export interface FetchedResource {
  bytes: Buffer;
  contentType: string | null;
  finalUrl: string;
}

export interface GuardedFetcher {
  fetch(url: string, signal?: AbortSignal): Promise<FetchedResource>;
  /** Closes the pooled connections; the fetcher cannot be used afterwards. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_REDIRECTS = 5;

/** Returns why an address must not be dialled (e.g. `the address 10.0.0.1 is private and not allowed`), or null. */
export type AddressPolicy = (address: string) => string | null;

// ---------------------------------------------------------------------------------------------------------
// Address policy: IANA special-purpose ranges, checked with net.BlockList (numeric, never string matching).

interface AddressRange {
  network: string;
  prefix: number;
}

const ipv4 = (network: string, prefix: number): AddressRange => ({ network, prefix });
const ipv6 = ipv4;

/** Special-purpose unicast ranges: refused unless `allowPrivate` (or `allowAddresses`) lets them through. */
const privateRanges: readonly AddressRange[] = [
  ipv4('10.0.0.0', 8), // RFC 1918
  ipv4('100.64.0.0', 10), // CGNAT
  ipv4('127.0.0.0', 8), // loopback
  ipv4('169.254.0.0', 16), // link-local
  ipv4('172.16.0.0', 12), // RFC 1918
  ipv4('192.0.0.0', 24), // IETF protocol assignments
  ipv4('192.0.2.0', 24), // TEST-NET-1
  ipv4('192.168.0.0', 16), // RFC 1918
  ipv4('198.18.0.0', 15), // benchmarking
  ipv4('198.51.100.0', 24), // TEST-NET-2
  ipv4('203.0.113.0', 24), // TEST-NET-3
  ipv6('::1', 128), // loopback
  ipv6('64:ff9b::', 96), // NAT64 well-known prefix
  ipv6('64:ff9b:1::', 48), // NAT64 local-use
  ipv6('100::', 64), // discard-only
  ipv6('2001::', 32), // Teredo
  ipv6('2001:db8::', 32), // documentation
  ipv6('2002::', 16), // 6to4
  ipv6('3fff::', 20), // documentation
  ipv6('fc00::', 7), // unique local
  ipv6('fe80::', 10), // link-local
  ipv6('fec0::', 10), // site-local (deprecated)
];

/** Cloud instance metadata endpoints: refused even with `allowPrivate`; only `allowAddresses` opens them. */
const metadataRanges: readonly AddressRange[] = [
  ipv4('169.254.169.254', 32), // AWS, GCP, Azure, OpenStack, ...
  ipv4('169.254.170.2', 32), // AWS ECS task metadata
  ipv4('100.100.100.200', 32), // Alibaba Cloud
  ipv6('fd00:ec2::254', 128), // AWS IPv6
];

/** Never a unicast destination: refused even with `allowPrivate`. */
const nonUnicastRanges: readonly AddressRange[] = [
  ipv4('0.0.0.0', 8), // "this network"
  ipv4('224.0.0.0', 4), // multicast
  ipv4('240.0.0.0', 4), // reserved, includes broadcast 255.255.255.255
  ipv6('::', 128), // unspecified
  ipv6('ff00::', 8), // multicast
];

function buildBlockList(ranges: readonly AddressRange[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    list.addSubnet(range.network, range.prefix, isIP(range.network) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

// Shared by every fetcher. Note: a BlockList matches IPv4-mapped IPv6 addresses against IPv4 rules, and an
// IPv6 rule covering ::ffff:0:0/96 would match every IPv4 address, so the mapped range is only used to detect
// mapped addresses, whose embedded IPv4 address is then classified.
const privateAddresses = buildBlockList(privateRanges);
const metadataAddresses = buildBlockList(metadataRanges);
const nonUnicastAddresses = buildBlockList(nonUnicastRanges);
const ipv4MappedAddresses = buildBlockList([ipv6('::ffff:0:0', 96)]);
const ipv4CompatibleAddresses = buildBlockList([ipv6('::', 96)]);

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** `[::1]` → `::1`, `fe80::1%eth0` → `fe80::1` (a zone id would make BlockList answer "no match"). */
function bareAddress(host: string): string {
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const zoneStart = unbracketed.indexOf('%');
  return zoneStart === -1 ? unbracketed : unbracketed.slice(0, zoneStart);
}

/** The 16 bytes of an IPv6 address (already known valid), via the WHATWG URL serialiser's canonical form. */
function ipv6Bytes(address: string): Uint8Array {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [
    ...headGroups,
    ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'),
    ...tailGroups,
  ];
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** `::` and `::1` sit inside ::/96 but are IPv6's own unspecified and loopback addresses. */
const isUnspecifiedOrLoopback = (bytes: Uint8Array): boolean =>
  bytes.subarray(0, 15).every((byte) => byte === 0) && (bytes[15] ?? 0) <= 1;

const dotted = (bytes: ArrayLike<number>, xor = 0): string =>
  Array.from({ length: 4 }, (_, index) => (bytes[index] ?? 0) ^ xor).join('.');

/**
 * The IPv4 addresses an IPv6 address carries and that a relay, translator or the kernel would reach:
 * IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96, deprecated but still routed by some stacks),
 * NAT64 (64:ff9b::/96 and 64:ff9b:1::/48, last 32 bits), 6to4 (2002::/16, bits 16–47) and Teredo
 * (2001::/32: server in bits 32–63, client in the last 32 bits inverted). Each is checked like a dialled
 * IPv4 address, so `[::a9fe:a9fe]` is refused as the metadata address it embeds.
 */
function embeddedIpv4Addresses(address: string): string[] {
  const bytes = ipv6Bytes(address);
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((byte) => byte === 0);
  const last32 = bytes.subarray(12, 16);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return [dotted(last32)];
  if (zeros(0, 12)) return isUnspecifiedOrLoopback(bytes) ? [] : [dotted(last32)];
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    return [dotted(last32)];
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return [dotted(bytes.subarray(2, 6))];
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x00 && bytes[3] === 0x00) {
    return [dotted(bytes.subarray(4, 8)), dotted(last32, 0xff)];
  }
  return [];
}

function parseAllowedAddresses(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const slash = entry.indexOf('/');
    const network = slash === -1 ? entry : entry.slice(0, slash);
    const version = isIP(network);
    if (version === 0) {
      throw new TypeError(`Expected allowAddresses entries to be IP addresses or CIDRs, got '${entry}'`);
    }
    const family = version === 6 ? 'ipv6' : 'ipv4';
    if (slash === -1) {
      list.addAddress(network, family);
      continue;
    }
    const prefixText = entry.slice(slash + 1);
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > (version === 6 ? 128 : 32)) {
      throw new TypeError(`Expected allowAddresses entries to be IP addresses or CIDRs, got '${entry}'`);
    }
    list.addSubnet(network, prefix, family);
  }
  return list;
}

/** Builds the check applied to every address Sightline is about to dial. */
export function createAddressPolicy(
  options: Pick<GuardedFetchOptions, 'allowPrivate' | 'allowAddresses'>,
): AddressPolicy {
  const allowedAddresses = parseAllowedAddresses(options.allowAddresses ?? []);

  const refusalFor = (address: string, shownAs: string): string | null => {
    if (isIP(address) === 0) return `the address ${shownAs} is not a valid IP address`;
    const family = familyOf(address);
    if (allowedAddresses.check(address, family)) return null;
    if (family === 'ipv6' && ipv4MappedAddresses.check(address, 'ipv6')) {
      const [embedded = ''] = embeddedIpv4Addresses(address);
      return refusalFor(embedded, `${shownAs} (IPv4 ${embedded})`);
    }
    if (metadataAddresses.check(address, family))
      return `the address ${shownAs} is a cloud metadata address and not allowed`;
    if (nonUnicastAddresses.check(address, family))
      return `the address ${shownAs} is not a unicast address and not allowed`;
    if (!options.allowPrivate && privateAddresses.check(address, family)) {
      return `the address ${shownAs} is private and not allowed`;
    }
    if (family === 'ipv6') {
      // an embedded IPv4 address that is refused refuses the IPv6 address carrying it
      for (const embedded of embeddedIpv4Addresses(address)) {
        const refusal = refusalFor(embedded, `${shownAs} (IPv4 ${embedded})`);
        if (refusal !== null) return refusal;
      }
      if (ipv4CompatibleAddresses.check(address, 'ipv6') && !isUnspecifiedOrLoopback(ipv6Bytes(address)))
        return `the address ${shownAs} is IPv4-compatible (deprecated) and not allowed`;
    }
    return null;
  };

  return (address) => {
    const bare = bareAddress(address);
    return refusalFor(bare, bare);
  };
}

// ---------------------------------------------------------------------------------------------------------
// The guarded connection: literal IPs are checked here (Node skips `lookup` for them), host names inside the
// socket's own DNS lookup, so the address checked is the address dialled (no DNS rebinding window).

class RefusedAddressError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RefusedAddressError';
  }
}

class TooLargeError extends Error {
  constructor() {
    super('response body over the cap');
    this.name = 'TooLargeError';
  }
}

class DeadlineError extends Error {
  constructor() {
    super('total download deadline reached');
    this.name = 'DeadlineError';
  }
}

function createGuardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostName, lookupOptions, callback) => {
    resolveHostName(hostName, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      for (const { address } of addresses) {
        const refusal = policy(address);
        if (refusal !== null) {
          callback(new RefusedAddressError(refusal), []);
          return;
        }
      }
      const first = addresses[0];
      if (first === undefined) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostName}`), { code: 'ENOTFOUND' }), []);
      } else if (lookupOptions.all === true) {
        callback(null, addresses);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

function createGuardedAgent(policy: AddressPolicy, options: GuardedFetchOptions): Agent {
  const dial = buildConnector({ lookup: createGuardedLookup(policy), timeout: options.connectTimeoutMs });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = bareAddress(connectOptions.hostname);
    if (isIP(host) !== 0) {
      const refusal = policy(host);
      if (refusal !== null) {
        callback(new RefusedAddressError(refusal), null);
        return;
      }
    }
    dial(connectOptions, callback);
  };
  return new Agent({
    connect,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.totalTimeoutMs,
    maxResponseSize: options.maxBytes,
  });
}

// ---------------------------------------------------------------------------------------------------------
// The fetcher: manual redirects (each hop re-checked), caps, and one message template for every failure.

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function parseHttpUrl(text: string, base?: URL): URL | 'invalid' | 'unsupported-scheme' {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return 'invalid';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : 'unsupported-scheme';
}

function validateOptions(options: GuardedFetchOptions): void {
  const positive: (keyof GuardedFetchOptions)[] = [
    'maxBytes',
    'connectTimeoutMs',
    'headersTimeoutMs',
    'totalTimeoutMs',
  ];
  for (const name of positive) {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new TypeError(`Expected ${name} to be a positive integer, got ${String(value)}`);
    }
  }
  const { maxRedirects } = options;
  if (maxRedirects !== undefined && (!Number.isInteger(maxRedirects) || maxRedirects < 0)) {
    throw new TypeError(`Expected maxRedirects to be a non-negative integer, got ${String(maxRedirects)}`);
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body is unwanted; a failure to cancel it changes nothing.
  }
}

async function readCappedBody(body: Response['body'], maxBytes: number): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let totalBytes = 0;
  // Leaving the loop early (throw) cancels the stream, which aborts the download.
  for await (const value of body) {
    const chunk: Uint8Array = value;
    totalBytes += chunk.byteLength;
    if (totalBytes > maxBytes) throw new TooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, totalBytes);
}

/** The one message template: the URL asked for, the hop that failed when redirected, and the cause. */
function downloadFailure(url: string, redirectedTo: URL | null, cause: string, error?: unknown): ApiError {
  const hop = redirectedTo === null ? '' : ` (redirected to ${redirectedTo.href})`;
  return invalidRequest(`Unable to download the image from ${url}${hop}: ${cause}`, error);
}

/** Downloads untrusted URLs through one guarded connection pool. Failures are 400 invalid_request_error. */
export function createGuardedFetcher(options: GuardedFetchOptions): GuardedFetcher {
  validateOptions(options);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const agent = createGuardedAgent(createAddressPolicy(options), options);

  const describeFailure = (error: unknown, abortSignal: AbortSignal): string => {
    if (abortSignal.aborted) {
      return abortSignal.reason instanceof DeadlineError
        ? `the download did not finish within ${options.totalTimeoutMs} ms`
        : 'the download was cancelled';
    }
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 10; depth += 1) {
      if (current instanceof RefusedAddressError) return current.message;
      if (current instanceof TooLargeError) return `the image is larger than ${options.maxBytes} bytes`;
      switch (errorCode(current)) {
        case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
          return `the image is larger than ${options.maxBytes} bytes`;
        case 'UND_ERR_CONNECT_TIMEOUT':
          return `could not connect within ${options.connectTimeoutMs} ms`;
        case 'UND_ERR_HEADERS_TIMEOUT':
          return `the server did not answer within ${options.headersTimeoutMs} ms`;
        case 'UND_ERR_BODY_TIMEOUT':
          return `the server stopped sending the image for ${options.totalTimeoutMs} ms`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EAI_NONAME':
          return 'the host name could not be resolved';
        case 'ECONNREFUSED':
          return 'the connection was refused';
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
          return 'the connection was closed by the server';
        case 'UND_ERR_DESTROYED':
        case 'UND_ERR_CLOSED':
          return 'the fetcher is closed';
      }
      current = current instanceof Error ? current.cause : undefined;
    }
    const code = errorCode(error instanceof Error ? (error.cause ?? error) : error);
    return code === undefined ? 'the connection failed' : `the connection failed (${code})`;
  };

  const fetchResource = async (url: string, signal?: AbortSignal): Promise<FetchedResource> => {
    const parsed = parseHttpUrl(url);
    if (parsed === 'invalid') throw downloadFailure(url, null, 'the URL is not valid');
    if (parsed === 'unsupported-scheme')
      throw downloadFailure(url, null, 'only http and https URLs are supported');
    let currentUrl = parsed;
    let redirectsFollowed = 0;
    const fail = (cause: string, error?: unknown): ApiError =>
      downloadFailure(url, redirectsFollowed > 0 ? currentUrl : null, cause, error);
    if (signal?.aborted) throw fail('the download was cancelled', signal.reason);

    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(new DeadlineError()), options.totalTimeoutMs);
    const forwardAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      for (;;) {
        let response: Response;
        try {
          response = await fetch(currentUrl.href, {
            dispatcher: agent,
            redirect: 'manual',
            signal: controller.signal,
            headers: { accept: 'image/*', 'user-agent': 'Sightline' },
          });
        } catch (error) {
          throw fail(describeFailure(error, controller.signal), error);
        }

        if (redirectStatuses.has(response.status)) {
          await discardBody(response);
          const location = response.headers.get('location');
          if (location === null) throw fail(`HTTP ${response.status} without a Location header`);
          if (redirectsFollowed >= maxRedirects) throw fail(`too many redirects (more than ${maxRedirects})`);
          const next = parseHttpUrl(location, currentUrl);
          if (next === 'invalid') throw fail(`the redirect location '${location}' is not a valid URL`);
          if (next === 'unsupported-scheme') {
            throw fail(`redirected to ${location}, but only http and https URLs are supported`);
          }
          currentUrl = next;
          redirectsFollowed += 1;
          continue;
        }

        if (response.status < 200 || response.status > 299) {
          await discardBody(response);
          throw fail(`HTTP ${response.status}`);
        }

        const declaredLength = response.headers.get('content-length');
        if (declaredLength !== null && Number(declaredLength) > options.maxBytes) {
          await discardBody(response);
          throw fail(`the image is larger than ${options.maxBytes} bytes`);
        }

        try {
          const bytes = await readCappedBody(response.body, options.maxBytes);
          return { bytes, contentType: response.headers.get('content-type'), finalUrl: currentUrl.href };
        } catch (error) {
          throw fail(describeFailure(error, controller.signal), error);
        }
      }
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', forwardAbort);
    }
  };

  return {
    fetch: fetchResource,
    close: () => agent.close(),
  };
}
