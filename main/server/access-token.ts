/**
 * Browser mode's access token: a secret the server makes at each launch (or takes from
 * `--token` / STUDIO_TOKEN) and prints in its URL, as Jupyter does. Calls, the event
 * socket and history media are refused without it; the renderer's own files are not (they
 * hold no data), so the page can load and say what is missing.
 *
 * Why: the server listens on 127.0.0.1, but every local process and user can reach that
 * address. The Host and Origin checks (request-guard.ts) stop web pages; the token stops
 * everything that was not given the printed URL.
 *
 * A request presents the token in one of three ways:
 * - `Authorization: Bearer <token>`, for scripts and tools;
 * - the `studio_token_<port>` cookie, which the server sets (HttpOnly, SameSite=Strict) on
 *   the page loaded with a valid `?token=`, so fetches, <img> loads and the WebSocket of
 *   that page carry it without the renderer ever holding it; the port is in the name
 *   because cookies are shared by every port of a host;
 * - `?token=<token>` in the URL itself.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a token may look like: URL-safe, so it can stand in a query string unescaped. */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

/** The query parameter of the printed URL. */
export const TOKEN_QUERY_PARAM = 'token';

/** How long the browser keeps the cookie, in seconds (a week; a new launch's token replaces it). */
const COOKIE_MAX_AGE_S = 7 * 24 * 3600;

/** 32 random bytes as base64url: 43 characters, 256 bits. */
export function generateAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenCookieName(port: number): string {
  return `studio_token_${port}`;
}

/** `Set-Cookie` value that lets the page's own requests carry the token. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}`;
}

/**
 * Compares in constant time. Hashing first gives both sides the same length, so neither the
 * comparison nor an early length check tells an attacker how long the token is.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Every token the request presents (header, cookie, query), in that order. */
export function presentedTokens(req: IncomingMessage, port: number): string[] {
  const found: string[] = [];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (bearer?.[1]) found.push(bearer[1]);
  const cookie = cookieValue(req.headers.cookie, tokenCookieName(port));
  if (cookie) found.push(cookie);
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get(TOKEN_QUERY_PARAM);
  if (query) found.push(query);
  return found;
}

/** True when any token the request presents is the server's. */
export function hasValidToken(req: IncomingMessage, port: number, token: string): boolean {
  // Every candidate is compared, so the time taken does not depend on which one matched.
  let valid = false;
  for (const candidate of presentedTokens(req, port)) valid = tokensEqual(candidate, token) || valid;
  return valid;
}

/** True when the URL itself carries the right token (the page should then get the cookie). */
export function queryTokenIsValid(req: IncomingMessage, token: string): boolean {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get(TOKEN_QUERY_PARAM);
  return query !== null && tokensEqual(query, token);
}

/** The sentence every refusal carries: what is missing and where to get it. */
export function missingTokenMessage(port: number): string {
  return (
    'This request lacks the studio server\'s access token. Open the address the server printed when it started ' +
    `(http://127.0.0.1:${port}/?token=…), or send the token as "Authorization: Bearer <token>".`
  );
}
