/**
 * How browser mode writes its answers: every response carries the strict CSP and related
 * headers (content-policy.ts); call answers are JSON envelopes that are never cached.
 */
import type { ServerResponse } from 'node:http';
import type { ApiError } from '../../contract/errors';
import { BROWSER_CSP, securityHeaders } from './content-policy';

/** Headers of every browser-mode response. */
export const HEADERS = securityHeaders(BROWSER_CSP);

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

/** An error envelope with a non-200 status: the request never reached a call. */
export function sendError(res: ServerResponse, status: number, error: ApiError, extra?: Record<string, string>): void {
  sendJson(res, status, { ok: false, error }, extra);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}
