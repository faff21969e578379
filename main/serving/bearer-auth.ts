/**
 * The optional bearer token of `studio serve-model`: `Authorization: Bearer <token>`, compared
 * in constant time (both sides hashed to 32 bytes first, so neither the content nor the length
 * of the token leaks through timing).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { HttpError } from './http-io';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** A check for `token`: throws HttpError 401 (with WWW-Authenticate: Bearer) unless the request carries it. */
export function bearerCheck(token: string): (req: http.IncomingMessage) => void {
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer +(.+)$/i.exec(header.trim());
    if (!m || !timingSafeEqual(digest(m[1] as string), expected)) {
      throw new HttpError(401, m ? 'the bearer token is not valid' : 'this server needs "Authorization: Bearer <token>"', { 'www-authenticate': 'Bearer' });
    }
  };
}
