/**
 * Finds the file behind `/media/<id>`: the id is the only thing a client sends, and the
 * path comes from that history record alone, so no request can name a file on disk.
 */
import fs from 'node:fs/promises';
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

/** The record's file if the record exists and its file is a regular file now; else undefined. */
export async function findMediaFile(lookup: MediaPathLookup, segment: string): Promise<MediaFile | undefined> {
  const id = parseMediaId(segment);
  const file = id === undefined ? undefined : lookup(id);
  if (file === undefined) return undefined;
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  return { file, size: stat.size, mtime: stat.mtime, contentType: mediaTypeFor(file) };
}
