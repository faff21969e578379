/**
 * Parses an HTTP `Range` request header for one file of known size (RFC 9110 §14).
 *
 * Only single byte ranges are served. The rules, each one the RFC allows:
 * - no header, another unit than `bytes`, or a header that does not parse (including
 *   `bytes=5-2`, whose last position is before its first) → the whole file (200): a server
 *   must ignore an invalid Range and may ignore any;
 * - several ranges (`bytes=0-1,5-6`) → the whole file (200): rather than a
 *   multipart/byteranges body, which players do not need for a single media file;
 * - `bytes=N-` → N to the end; `bytes=-K` → the last K bytes (all of a shorter file);
 *   `bytes=N-M` with M past the end → N to the end;
 * - a range that starts at or past the end, `bytes=-0`, or any range of an empty file
 *   → unsatisfiable (416, with a Content-Range that gives the size).
 */

export type ByteRange =
  | { kind: 'whole' }
  /** Inclusive byte offsets, as in Content-Range and fs.createReadStream. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

function position(digits: string): number | undefined {
  if (digits === '') return undefined;
  const n = Number(digits);
  // Past 2^53 the number is not exact; no file here is that large, so it is past the end.
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { kind: 'whole' };
  const m = SINGLE.exec(header.trim());
  if (!m) return { kind: 'whole' };
  const first = position(m[1] ?? '');
  const last = position(m[2] ?? '');
  if (first === undefined && last === undefined) return { kind: 'whole' };
  if (first === undefined) {
    // Suffix range: the last `last` bytes.
    const length = last as number;
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  if (last !== undefined && last < first) return { kind: 'whole' };
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: first, end: Math.min(last ?? size - 1, size - 1) };
}
