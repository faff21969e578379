/**
 * A media response as a web `Response`, for the desktop app's `studio://` protocol handler
 * (Electron's protocol.handle takes fetch-style Responses). The body streams from disk, so
 * a long video is never read into memory, and a 206 carries only the requested span.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { MediaFile } from './media-file';
import { planMediaResponse } from './media-response';

/** `extraHeaders` (CSP, CORS) are added to the plan's headers. */
export function mediaWebResponse(file: MediaFile, request: Request, extraHeaders: Record<string, string>): Response {
  const plan = planMediaResponse(file, {
    range: request.headers.get('range') ?? undefined,
    ifRange: request.headers.get('if-range') ?? undefined,
    head: request.method === 'HEAD',
  });
  const body = plan.body === undefined ? null : (Readable.toWeb(fs.createReadStream(file.file, plan.body)) as ReadableStream<Uint8Array>);
  return new Response(body, { status: plan.status, headers: { ...extraHeaders, ...plan.headers } });
}
