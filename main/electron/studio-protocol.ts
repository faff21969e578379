/**
 * The desktop app's `studio://` protocol: `studio://app/<file>` serves the built renderer
 * and `studio://media/<recordId>` a history record's file, streamed with byte ranges
 * (media/media-web-response.ts: 206 for a Range, 416 when unsatisfiable), only from
 * inside the outputs folder (media/media-file.ts).
 *
 * Why a custom protocol instead of file://: file:// pages share one opaque origin with
 * every local file, so a CSP of 'self' means little and IPC senders cannot be told apart.
 * A standard, secure scheme gives the page a real origin (studio://app) that ipc.ts checks
 * on every call, and lets responses carry the CSP header. Path rules (no traversal, SPA
 * fallback) are shared with browser mode through server/static-files.ts.
 */
import { protocol } from 'electron';
import fs from 'node:fs/promises';
import { STUDIO_APP_ORIGIN, STUDIO_MEDIA_HOST, STUDIO_SCHEME } from '../../contract/preload-api';
import { findMediaFile } from '../media/media-file';
import { mediaWebResponse } from '../media/media-web-response';
import { ELECTRON_CSP, securityHeaders } from '../server/content-policy';
import { lookupStatic } from '../server/static-files';
import type { StudioService } from '../service/studio-service';
import { APP_HOST } from './trusted-frame';

const HEADERS = securityHeaders(ELECTRON_CSP);

/**
 * Must run before `app.whenReady()`: Electron fixes scheme privileges at start-up.
 * standard → relative URLs and an origin; secure → treated like https (no mixed-content
 * blocks); supportFetchAPI → the page may fetch its own files; codeCache → faster reloads.
 */
export function registerStudioSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: STUDIO_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function textResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function fileResponse(file: string, contentType: string, cacheControl: string, extra: Record<string, string> = {}): Promise<Response> {
  const body = await fs.readFile(file);
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...HEADERS, 'Content-Type': contentType, 'Cache-Control': cacheControl, ...extra },
  });
}

/**
 * History media live on another host (studio://media) than the page (studio://app). The A/B
 * compare reads their pixels through a canvas to compute PSNR, which needs CORS from exactly
 * our own app origin; any other origin still gets a tainted canvas.
 */
const MEDIA_CORS = { 'Access-Control-Allow-Origin': STUDIO_APP_ORIGIN };

async function serve(request: Request, rendererDir: string, service: StudioService): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, `${request.method} is not allowed`);
  const url = new URL(request.url);
  if (url.host === APP_HOST) {
    const found = await lookupStatic(rendererDir, url.pathname);
    if (found.kind === 'bad-path') return textResponse(400, `Bad path: ${found.reason}`);
    if (found.kind === 'not-found') return textResponse(404, `Not found: ${url.pathname}`);
    return fileResponse(found.value.file, found.value.contentType, found.value.immutable ? 'max-age=31536000, immutable' : 'no-cache');
  }
  if (url.host === STUDIO_MEDIA_HOST) {
    const found = await findMediaFile((id) => service.imagePath(id), url.pathname.slice(1), service.paths.outputs);
    if (found === undefined) return textResponse(404, `No history media at ${url.pathname}`);
    return mediaWebResponse(found, request, { ...HEADERS, ...MEDIA_CORS });
  }
  return textResponse(404, `Unknown studio host ${url.host}`);
}

/** Installs the handler (after `app.whenReady()`). */
export function handleStudioProtocol(rendererDir: string, service: StudioService): void {
  protocol.handle(STUDIO_SCHEME, (request) =>
    serve(request, rendererDir, service).catch((err: unknown) => {
      console.error('studio: protocol request failed:', request.url, err);
      return textResponse(500, err instanceof Error ? err.message : String(err));
    }),
  );
}
