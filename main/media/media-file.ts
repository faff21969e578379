/**
 * Finds the file behind `/media/<id>`: the id is the only thing a client sends, and the
 * path comes from that history record alone, so no request can name a file on disk.
 *
 * A record's path is still data from the database, which anything with write access to
 * STUDIO_HOME can change: the file is served only when its real path (every symlink
 * resolved) lies inside the outputs folder, so a row pointing at /etc/passwd, or a symlink
 * in the outputs folder leading out of it, serves nothing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { mediaTypeFor } from './media-types';

export interface MediaFile {
  /** Absolute path, from the history record. */
  file: string;
  size: number;
  mtime: Date;
  contentType: string;
}

/** Output path of history record `id`, or undefined when there is no such record. */
export type MediaPathLookup = (recordId: number) => string | undefined;

/** Record id from a URL segment: decimal digits only, 1 ≤ id ≤ 2^53 − 1; else undefined. */
export function parseMediaId(segment: string): number | undefined {
  if (!/^\d{1,16}$/.test(segment)) return undefined;
  const id = Number(segment);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The record's file if the record exists, its file is a regular file now, and its real path
 * is inside `outputsDir`; else undefined (a path leading outside is logged to stderr).
 */
export async function findMediaFile(lookup: MediaPathLookup, segment: string, outputsDir: string): Promise<MediaFile | undefined> {
  const id = parseMediaId(segment);
  const file = id === undefined ? undefined : lookup(id);
  if (file === undefined) return undefined;
  const root = await fs.realpath(outputsDir).catch(() => path.resolve(outputsDir));
  const refuse = (): undefined => {
    process.stderr.write(`studio: refused media for history record ${id}: ${JSON.stringify(file)} is not inside the outputs folder ${root}\n`);
    return undefined;
  };
  if (!path.isAbsolute(file)) return refuse();
  const real = await fs.realpath(file).catch(() => undefined);
  if (real === undefined) return undefined; // gone from disk: an ordinary 404
  if (!isInside(root, real)) return refuse();
  const stat = await fs.stat(real).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  return { file: real, size: stat.size, mtime: stat.mtime, contentType: mediaTypeFor(real) };
}
