import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { AppError } from '../../lib/errors.ts';
import { formatBytes } from '../pdf/parse-pdf.ts';
import { ipLiteral, judgeAddress } from './address-policy.ts';

/**
 * Fetches one web page for ingest, guarded against server-side request forgery: http(s) only; the
 * host resolved once per hop and every address judged (address-policy.ts) unless the host is
 * listed in `allowHosts`; the connection pinned to the judged address (no DNS rebinding between
 * check and connect); redirects followed by hand, each hop checked again, at most `maxRedirects`;
 * one deadline over all hops; the body capped while it streams; HTML, PDF and text only.
 * Every refusal is an AppError that names the rule.
 */
export const FETCH_DEFAULTS = {
  timeoutMs: 15_000,
  maxBytes: 16 * 1024 * 1024,
  maxRedirects: 5,
};

export interface FetchPolicy {
  /** Host names or IP addresses exempt from the address rule (COPILOT_FETCH_ALLOW_HOSTS: tests, intranets). */
  allowHosts: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

interface ResolvedAddress {
  address: string;
  family: number;
}

/** DNS resolution, injected so tests control what a name resolves to. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

type PageKind = 'html' | 'pdf' | 'text';

export interface FetchedPage {
  /** The URL after redirects. */
  url: string;
  kind: PageKind;
  contentType: string;
  bytes: Uint8Array;
}

const CONTENT_KINDS: Readonly<Record<string, PageKind>> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'text/markdown': 'text',
};

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS did not answer (is this machine offline?)',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable (is this machine offline?)',
  ENETUNREACH: 'the network is unreachable (is this machine offline?)',
  ETIMEDOUT: 'the connection timed out',
  EPROTO: 'the TLS handshake failed',
  CERT_HAS_EXPIRED: 'the site certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the site certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the site certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the site certificate does not match the host',
};

function refuse(message: string): AppError {
  return new AppError('forbidden', `Refused to fetch: ${message}.`);
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('bad_request', `Not a URL: ${JSON.stringify(raw.slice(0, 200))}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(`${url.protocol} URLs are not fetched (rule: only http and https)`);
  }
  if (url.username !== '' || url.password !== '') throw refuse('the URL carries credentials (rule: no user:password@ in URLs)');
  return url;
}

function isAllowedHost(url: URL, allowHosts: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return allowHosts.some((allowed) => allowed.replace(/^\[|\]$/g, '').toLowerCase() === host);
}

/** The promise's outcome, or the signal's reason once it aborts first (a resolver that hangs). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves the hop's host and returns the one address to connect to, after judging them all. */
async function checkHop(url: URL, policy: FetchPolicy, resolveHost: ResolveHost, signal: AbortSignal): Promise<ResolvedAddress> {
  const literal = ipLiteral(url.hostname);
  let addresses: ResolvedAddress[];
  if (literal !== undefined) {
    addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  } else {
    try {
      // getaddrinfo cannot be cancelled and may wait long on a dead resolver: the deadline still holds.
      addresses = await untilAborted(resolveHost(url.hostname), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new AppError('upstream_unavailable', `Could not fetch ${url.hostname}: ${NETWORK_ERRORS[code] ?? 'the host name could not be resolved'}.`);
    }
  }
  if (addresses.length === 0) throw new AppError('upstream_unavailable', `Could not fetch ${url.hostname}: the host name does not resolve.`);
  if (isAllowedHost(url, policy.allowHosts)) return addresses[0]!;
  // Every address must pass: a name that resolves to one public and one private address is refused.
  for (const resolved of addresses) {
    const verdict = judgeAddress(resolved.address);
    if (!verdict.allowed) {
      throw refuse(
        `${url.hostname} resolves to ${verdict.address}, ${verdict.rule} (rule: no loopback, private, link-local or unique-local addresses; COPILOT_FETCH_ALLOW_HOSTS lists exceptions)`,
      );
    }
  }
  return addresses[0]!;
}

function pinnedLookup(target: ResolvedAddress): LookupFunction {
  // The socket connects to the address that was judged, whatever DNS would say now.
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function requestOnce(url: URL, target: ResolvedAddress, signal: AbortSignal): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      lookup: pinnedLookup(target),
      signal,
      headers: {
        'user-agent': 'investment-copilot/0.1 (+ingest of a page a user asked for)',
        accept: 'text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.1',
        'accept-encoding': 'gzip, deflate, br',
      },
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

function decodedStream(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip());
  if (encoding === 'deflate') return response.pipe(createInflate());
  if (encoding === 'br') return response.pipe(createBrotliDecompress());
  return response;
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length']);
  const tooLarge = () => new AppError('payload_too_large', `The page is larger than the fetch limit of ${formatBytes(maxBytes)} (COPILOT_FETCH_MAX_BYTES).`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of decodedStream(response)) {
    total += (chunk as Buffer).byteLength;
    // Counted after decompression: a small gzip bomb is as large as what it inflates to.
    if (total > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function networkError(error: unknown, url: URL, policy: FetchPolicy, deadline: AbortSignal): AppError {
  if (error instanceof AppError) return error;
  if (deadline.aborted) return new AppError('timeout', `Fetching ${url.hostname} took longer than ${policy.timeoutMs / 1000} s (COPILOT_FETCH_TIMEOUT_MS).`);
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return new AppError('upstream_unavailable', `Could not fetch ${url.hostname}: ${NETWORK_ERRORS[code] ?? 'the connection failed'}.`);
}

export async function fetchPage(rawUrl: string, policy: FetchPolicy, resolveHost: ResolveHost = resolveWithDns, signal?: AbortSignal): Promise<FetchedPage> {
  let url = parseTarget(rawUrl);
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  for (let hop = 0; ; hop += 1) {
    let response: IncomingMessage;
    try {
      const target = await checkHop(url, policy, resolveHost, combined);
      combined.throwIfAborted();
      response = await requestOnce(url, target, combined);
    } catch (error) {
      throw networkError(error, url, policy, deadline);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location !== undefined) {
      response.resume();
      if (hop >= policy.maxRedirects) throw refuse(`more than ${policy.maxRedirects} redirects (rule: at most ${policy.maxRedirects})`);
      url = parseTarget(new URL(response.headers.location, url).href);
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new AppError('upstream_unavailable', `Could not fetch ${url.hostname}: the page answered HTTP ${status}.`);
    }
    const contentType = String(response.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const kind = CONTENT_KINDS[contentType];
    if (kind === undefined) {
      response.destroy();
      throw new AppError('unsupported_media_type', `The page is ${contentType || 'of no declared type'}; only HTML, PDF and plain text pages are fetched.`);
    }
    try {
      return { url: url.href, kind, contentType, bytes: await readBody(response, policy.maxBytes) };
    } catch (error) {
      throw networkError(error, url, policy, deadline);
    }
  }
}
