/**
 * The `folder_hashes` table (migration 0004) as the HashStore model-hash.ts consults before
 * hashing a folder. A write that fails (a read-only or busy database) only costs a rehash next
 * time, so it is not an error for the run.
 */
import type { Database } from 'better-sqlite3';
import type { HashStore } from '../runtime/model-hash';

export function createFolderHashesRepo(db: Database): HashStore {
  const select = db.prepare<[string, string], { sha256: string }>('SELECT sha256 FROM folder_hashes WHERE dir = ? AND listing_sha256 = ?');
  const upsert = db.prepare<[string, string, string, string]>(
    `INSERT INTO folder_hashes (dir, listing_sha256, sha256, hashed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(dir) DO UPDATE SET listing_sha256 = excluded.listing_sha256, sha256 = excluded.sha256, hashed_at = excluded.hashed_at`,
  );
  return {
    lookup: (dir, listing) => select.get(dir, listing)?.sha256,
    remember: (dir, listing, hash) => {
      try {
        upsert.run(dir, listing, hash, new Date().toISOString());
      } catch {
        // Best effort: see the file comment.
      }
    },
  };
}
