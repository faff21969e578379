/**
 * Who may talk to the browser-mode server: only pages it served itself and local tools.
 *
 * Why: a server on 127.0.0.1 is still reachable from any web page the user visits.
 * - DNS rebinding (evil.example resolving to 127.0.0.1) is stopped by accepting only
 *   loopback Host headers.
 * - Cross-site requests are stopped by refusing a foreign `Origin` (browsers always send
 *   it on POST and on WebSocket handshakes, which CORS does not protect) and by requiring
 *   `Content-Type: application/json` on calls, which a cross-site form cannot send
 *   without a CORS preflight this server never grants.
 * Tools without a browser (curl, the e2e tests, node's fetch) send no Origin and pass.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when `host` is `<loopback name>:<port>` for the port this server listens on. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(host.toLowerCase());
  if (!m) return false;
  return LOOPBACK_NAMES.has(m[1] ?? '') && Number(m[2]) === port;
}

/** True when the request carries no Origin, or the Origin is this server itself. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null" of sandboxed frames and file:// pages
  }
  return url.protocol === 'http:' && url.pathname === '/' && isAllowedHost(url.host, port);
}

/** Why a request is refused, or undefined when it may proceed. */
export function refusal(req: IncomingMessage, port: number): string | undefined {
  if (!isAllowedHost(req.headers.host, port)) {
    return `Host "${req.headers.host ?? ''}" is not this server; open http://127.0.0.1:${port}/ instead.`;
  }
  if (!isAllowedOrigin(req.headers.origin, port)) {
    return `Requests from origin "${req.headers.origin ?? ''}" are not allowed.`;
  }
  return undefined;
}

/** True for `application/json`, with or without parameters such as charset. */
export function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}
