/**
 * A content hash of a whole pipeline folder, stored in every Recipe and in the PNG's
 * A1111 `Model hash:` field, so an image names the exact weights that made it.
 *
 * Definition (stable across platforms): sha256 over every regular file under the folder,
 * hidden files and folders (".git", ".DS_Store") excluded, in order of their relative
 * paths with "/" separators (compared as JS strings); for each file the hash takes
 * `<relative path>\0<size in bytes>\0` followed by its bytes. Files are streamed, so
 * multi-gigabyte weights never sit in memory.
 *
 * The same definition hashes one component folder (text_encoder/, transformer/, …): that is
 * the component's identity (components.ts), shared by every pipeline that holds the same files.
 *
 * Hashing gigabytes takes seconds, so results are cached, keyed by the folder and a digest of
 * every file's (path, size, mtimeMs): touching or replacing any file recomputes. The cache is
 * in-process, and, given a HashStore (the SQLite `folder_hashes` table), also across processes,
 * so the CLI does not rehash a model folder on every run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface FileEntry {
  rel: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

/** A persistent cache of folder hashes (main/store/folder-hashes-repo.ts). */
export interface HashStore {
  /** The hash stored for `dir` when its listing digest is still `listing`. */
  lookup(dir: string, listing: string): string | undefined;
  remember(dir: string, listing: string, hash: string): void;
}

const cache = new Map<string, { key: string; hash: string }>();

/** The files the hash covers, sorted by relative path (the model importer copies exactly these). */
export function listFiles(root: string): FileEntry[] {
  const out: FileEntry[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      // Follow symlinks: a user folder may link to weights stored elsewhere.
      const stat = fs.statSync(abs);
      if (stat.isDirectory()) visit(abs);
      else if (stat.isFile()) {
        out.push({ rel: path.relative(root, abs).split(path.sep).join('/'), abs, size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  };
  visit(root);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

async function hashFiles(files: readonly FileEntry[]): Promise<string> {
  const hash = crypto.createHash('sha256');
  for (const f of files) {
    hash.update(`${f.rel}\0${f.size}\0`);
    await new Promise<void>((resolve, reject) => {
      const stream = fs.createReadStream(f.abs, { highWaterMark: 1 << 20 });
      stream.on('data', (chunk) => hash.update(chunk));
      stream.on('error', reject);
      stream.on('end', resolve);
    });
  }
  return hash.digest('hex');
}

/**
 * sha256 (64 lowercase hex chars) of the pipeline folder `dir`, as defined above.
 * @throws fs errors when the folder cannot be read
 */
export async function pipelineHash(dir: string, store?: HashStore): Promise<string> {
  return folderHash(dir, store);
}

/** The digest of a listing's (path, size, mtimeMs) triples: the cache key of a folder's hash. */
function listingDigest(files: readonly FileEntry[]): string {
  return crypto.createHash('sha256').update(files.map((f) => `${f.rel}|${f.size}|${f.mtimeMs}`).join('\n')).digest('hex');
}

/** The hash already known for `root` at this listing, in-process or in the store. */
function knownHash(root: string, listing: string, store: HashStore | undefined): string | undefined {
  const hit = cache.get(root);
  if (hit && hit.key === listing) return hit.hash;
  const stored = store?.lookup(root, listing);
  if (stored !== undefined) cache.set(root, { key: listing, hash: stored });
  return stored;
}

function rememberHash(root: string, listing: string, hash: string, store: HashStore | undefined): string {
  store?.remember(root, listing, hash);
  cache.set(root, { key: listing, hash });
  return hash;
}

/** sha256 of any folder (a pipeline or one component), as defined above. */
export async function folderHash(dir: string, store?: HashStore): Promise<string> {
  const root = path.resolve(dir);
  const files = listFiles(root);
  const listing = listingDigest(files);
  return knownHash(root, listing, store) ?? rememberHash(root, listing, await hashFiles(files), store);
}

/**
 * folderHash without awaiting, for a synchronous caller (the model registry matching a folder
 * to its entry in a sidecar file). Shares both caches; on a miss it reads each file whole, so use
 * it only on folders of a few tens of MB (the bundled pipelines).
 */
export function folderHashSync(dir: string, store?: HashStore): string {
  const root = path.resolve(dir);
  const files = listFiles(root);
  const listing = listingDigest(files);
  const known = knownHash(root, listing, store);
  if (known !== undefined) return known;
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(`${f.rel}\0${f.size}\0`).update(fs.readFileSync(f.abs));
  return rememberHash(root, listing, hash.digest('hex'), store);
}

/** Forgets the in-process cache (tests that count rehashing). */
export function clearFolderHashCache(): void {
  cache.clear();
}
