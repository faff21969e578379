/**
 * Maps a URL path to a file of the built renderer (renderer/dist), safely.
 *
 * Why here and not a library: both the HTTP server and Electron's `studio://` protocol
 * need the same rules: decode once, refuse NUL bytes and any path that escapes the root
 * (`..`, encoded `%2e%2e`, absolute paths, symlinks pointing outside), and fall back to
 * index.html for extension-less paths so a reload on a client-side route still works
 * (single-page app). A missing file with an extension (a stale asset) is a 404, not the
 * HTML page, so the browser reports the real problem.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { contentTypeFor } from './content-policy';

export interface StaticFile {
  /** Absolute path inside the root. */
  file: string;
  contentType: string;
  /** Size in bytes. */
  size: number;
  /** Fingerprinted by vite (under assets/), so it may be cached forever. */
  immutable: boolean;
}

export type StaticLookup =
  | { kind: 'file'; value: StaticFile }
  | { kind: 'not-found' }
  | { kind: 'bad-path'; reason: string };

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function statFile(root: string, file: string): Promise<StaticFile | undefined> {
  try {
    const real = await fs.realpath(file);
    const realRoot = await fs.realpath(root);
    if (!isInside(realRoot, real)) return undefined;
    const st = await fs.stat(real);
    if (!st.isFile()) return undefined;
    const rel = path.relative(realRoot, real).split(path.sep);
    return { file: real, contentType: contentTypeFor(path.extname(real)), size: st.size, immutable: rel[0] === 'assets' };
  } catch {
    return undefined;
  }
}

/**
 * Finds the file for `urlPath` (the raw, still percent-encoded path of a URL, without
 * query) under `root`.
 */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad-path', reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-path', reason: 'NUL byte in path' };
  // Backslashes are separators on Windows: treat them as such everywhere, then refuse `..`.
  const segments = decoded.replaceAll('\\', '/').split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { kind: 'bad-path', reason: 'path leaves the renderer folder' };
  const absRoot = path.resolve(root);
  const candidate = path.join(absRoot, ...segments);
  if (!isInside(absRoot, candidate)) return { kind: 'bad-path', reason: 'path leaves the renderer folder' };

  const last = segments.at(-1) ?? '';
  if (last !== '') {
    const direct = await statFile(absRoot, candidate);
    if (direct) return { kind: 'file', value: direct };
    // A missing file that looks like an asset stays missing; a route gets the app.
    if (path.extname(last) !== '') return { kind: 'not-found' };
  }
  const index = await statFile(absRoot, path.join(absRoot, 'index.html'));
  return index ? { kind: 'file', value: index } : { kind: 'not-found' };
}
