/**
 * Status, headers and byte span of a media response, decided once for both transports:
 * browser mode (server/media-route.ts, node:http) and the desktop app's `studio://`
 * protocol (media-web-response.ts, a web Response).
 *
 * Ranges follow byte-range.ts. `If-Range` is honoured: a range is served only when the
 * client's validator equals this file's ETag or Last-Modified, so a player resuming
 * against a file that changed gets the whole new file instead of spliced bytes.
 */
import { parseByteRange } from './byte-range';
import type { MediaFile } from './media-file';

export interface MediaRequest {
  /** The `Range` header, if any. */
  range?: string;
  /** The `If-Range` header, if any. */
  ifRange?: string;
  /** HEAD: same status and headers, no body. */
  head: boolean;
}

export interface MediaResponsePlan {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** Inclusive byte span to stream from the file; undefined → an empty body. */
  body?: { start: number; end: number };
}

/** A strong validator from size and modification time: a rewritten file gets a new one. */
export function mediaEtag(file: MediaFile): string {
  return `"${file.size.toString(16)}-${Math.trunc(file.mtime.getTime()).toString(16)}"`;
}

export function planMediaResponse(file: MediaFile, req: MediaRequest): MediaResponsePlan {
  const etag = mediaEtag(file);
  const lastModified = file.mtime.toUTCString();
  const base = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': lastModified,
    // Ids are never reused, but a user may move the database aside and start over: revalidate.
    'Cache-Control': 'no-cache',
  };
  const validatorMatches = req.ifRange === undefined || req.ifRange.trim() === etag || req.ifRange.trim() === lastModified;
  const range = validatorMatches ? parseByteRange(req.range, file.size) : ({ kind: 'whole' } as const);

  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${file.size}`, 'Content-Length': '0' } };
  }
  const { start, end } = range.kind === 'partial' ? range : { start: 0, end: file.size - 1 };
  const headers: Record<string, string> = { ...base, 'Content-Type': file.contentType, 'Content-Length': String(end - start + 1) };
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
  const body = req.head || end < start ? undefined : { start, end };
  return { status: range.kind === 'partial' ? 206 : 200, headers, body };
}
