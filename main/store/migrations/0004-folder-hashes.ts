/**
 * 0004: content hashes of model folders (whole pipelines and single components), so a process
 * that starts cold — the CLI, a job worker — does not rehash gigabytes of weights on every run.
 *
 * A row is valid only while the folder's listing is unchanged: `listing_sha256` digests every
 * file's relative path, size and mtime (main/runtime/model-hash.ts); any change makes the lookup
 * miss and the folder is hashed again.
 */
import type { Migration } from './migration';

export const folderHashesMigration: Migration = {
  version: 4,
  name: 'folder-hashes',
  up(db) {
    db.exec(`
      CREATE TABLE folder_hashes (
        dir            TEXT PRIMARY KEY,      -- absolute folder path on this machine
        listing_sha256 TEXT NOT NULL,
        sha256         TEXT NOT NULL,         -- the folder's content hash
        hashed_at      TEXT NOT NULL          -- ISO 8601 UTC
      ) STRICT;
    `);
  },
};
