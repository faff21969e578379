/**
 * Response headers and content types shared by both ways the renderer is served: the
 * browser-mode HTTP server and the desktop app's `studio://` protocol.
 *
 * Why a strict CSP: the page renders user prompts and loads only its own bundle, so no
 * inline script, no remote script and no remote connection is ever needed; forbidding
 * them turns any injection bug into a blocked request instead of code execution.
 */

/** CSP of browser mode: page, API and images share the http://127.0.0.1:<port> origin. */
export const BROWSER_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:*",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  // The Export dialog previews the video it just encoded from a blob: URL.
  "media-src 'self' blob:",
].join('; ');

/**
 * CSP of the desktop app: the page is studio://app, history media are studio://media
 * (another host of the same scheme, hence `studio:` in img-src), and calls go over IPC so
 * no network connection is allowed beyond reading those media.
 */
export const ELECTRON_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob: studio:",
  // studio://media only: Export reads a history file's bytes to decode its frames.
  "connect-src 'self' studio://media",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "media-src 'self' blob: studio:",
].join('; ');

/** Headers every response carries, whatever its type. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Content type by file extension (lower-cased, with the dot); unknown → octet-stream. */
export function contentTypeFor(ext: string): string {
  return CONTENT_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}
