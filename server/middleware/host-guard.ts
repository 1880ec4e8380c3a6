import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { AppError } from '../../lib/errors.ts';

/**
 * DNS rebinding and cross-site write protection, for every route (API, UI, MCP).
 *
 * Host: a page on `evil.example` whose DNS name is re-pointed at 127.0.0.1 reaches this server
 * with `Host: evil.example`; only names we were told about are served. IP literals are always
 * accepted (as Vite's dev server does): a browser that sends `Host: 192.168.1.5` was pointed at
 * that address itself, so no rebinding is involved, and an `HOST=0.0.0.0` server stays reachable
 * on the LAN by address.
 *
 * Origin: a browser says where a request comes from; a write (POST, PUT, PATCH, DELETE) from a page
 * of another origin is refused, whatever its content type (a "simple" cross-site form POST needs no
 * preflight). Clients that send no Origin (curl, scripts, the MCP SDK) are not browsers and pass.
 */
export const DEFAULT_ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HostGuardOptions {
  /** Host names (no port) served besides the defaults: the configured HOST, COPILOT_ALLOWED_HOSTS. */
  allowedHosts?: readonly string[];
}

/** `example.com:3000` → `example.com`, `[::1]:3000` → `[::1]`, lower case, no trailing dot. */
export function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  const name = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

function isIpLiteral(name: string): boolean {
  const bare = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  // `isValid` accepts shorthand such as "1" or "0x7f"; only the canonical forms count as literals.
  return ipaddr.IPv4.isValidFourPartDecimal(bare) || (name.startsWith('[') && ipaddr.IPv6.isValid(bare));
}

/** A configured listen address as a Host name: wildcard addresses name no host. */
export function listenHostName(host: string): string | undefined {
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return ['0.0.0.0', '[::]', '::'].includes(name) ? undefined : hostName(name);
}

export function hostGuard(options: HostGuardOptions = {}): RequestHandler {
  const allowed = new Set([...DEFAULT_ALLOWED_HOSTS, ...(options.allowedHosts ?? []).map(hostName)]);
  return (request, _response, next) => {
    const host = request.headers.host;
    // HTTP/1.0 clients may send no Host: nothing to rebind.
    if (host !== undefined && host !== '') {
      const name = hostName(host);
      if (!allowed.has(name) && !isIpLiteral(name)) {
        next(
          new AppError(
            'forbidden',
            `Host "${name.slice(0, 100)}" is not served here. Add it to COPILOT_ALLOWED_HOSTS if this server sits behind a proxy with that name.`,
            { details: { reason: 'host_not_allowed' } },
          ),
        );
        return;
      }
    }
    if (WRITE_METHODS.has(request.method) && isCrossOrigin(request.headers.origin, request.headers['sec-fetch-site'], host)) {
      next(
        new AppError('forbidden', "Cross-origin writes are refused: call the API from this server's own pages or from a non-browser client.", {
          details: { reason: 'cross_origin' },
        }),
      );
      return;
    }
    next();
  };
}

function isCrossOrigin(origin: string | undefined, fetchSite: string | string[] | undefined, host: string | undefined): boolean {
  if (fetchSite === 'cross-site') return true;
  if (origin === undefined) return false;
  // Sandboxed frames and some redirects send the opaque origin "null".
  if (origin === 'null' || host === undefined) return true;
  try {
    return new URL(origin).host.toLowerCase() !== host.trim().toLowerCase();
  } catch {
    return true;
  }
}
