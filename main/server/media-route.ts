/**
 * Browser mode's `GET|HEAD /media/<recordId>`: the file of a history record, streamed from
 * disk with single byte ranges (media/media-response.ts decides status and headers), so an
 * <img> loads it and a <video> can seek in it. The path comes from the history record
 * only (media/media-file.ts), and is served only from inside the outputs folder; an unknown
 * id, a file gone from disk or a path leading elsewhere is a 404.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findMediaFile, type MediaPathLookup } from '../media/media-file';
import { planMediaResponse } from '../media/media-response';

/** URL path prefix of the route; the rest of the path is the record id. */
export const MEDIA_ROUTE_PREFIX = '/media/';

/**
 * Answers one request for `segment` (the path after MEDIA_ROUTE_PREFIX).
 * `headers` are the server's own (CSP and friends), added to every response.
 */
export async function handleMedia(
  lookup: MediaPathLookup,
  outputsDir: string,
  segment: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const found = await findMediaFile(lookup, segment, outputsDir);
  if (found === undefined) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    return void res.end(`No media for history record ${JSON.stringify(segment)}.\n`);
  }
  const plan = planMediaResponse(found, {
    range: req.headers.range,
    // Typed loosely by @types/node; node delivers a single If-Range header as one string.
    ifRange: typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined,
    head: req.method === 'HEAD',
  });
  res.writeHead(plan.status, { ...headers, ...plan.headers });
  if (plan.body === undefined) return void res.end();
  fs.createReadStream(found.file, plan.body)
    .on('error', () => res.destroy())
    .pipe(res);
}
