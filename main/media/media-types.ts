/**
 * MIME types of the files the studio writes and serves, by extension.
 *
 * Kept apart from the renderer's content types (server/content-policy.ts): this list is
 * what a history record may point at, so the `/media/<id>` route answers only for these
 * and serves anything else as a download-only octet stream. The video entries are here
 * so a later writer only has to implement MediaWriter.
 */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  apng: 'image/apng',
  gif: 'image/gif',
  webp: 'image/webp',
  webm: 'video/webm',
  mp4: 'video/mp4',
};

/** MIME type for a file name or extension (case-insensitive); unknown → application/octet-stream. */
export function mediaTypeFor(fileOrExtension: string): string {
  const ext = fileOrExtension.slice(fileOrExtension.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}
