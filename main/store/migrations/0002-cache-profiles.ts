/**
 * 0002: step caching (issue 4).
 *
 * `cache_profiles` holds calibration profiles (core/cache CacheProfile JSON, stored exactly as
 * recorded or imported, so an export gives back the same bytes). The key fields a run must match
 * (profileMatches: model hash, scheduler, steps, shift, CFG, size) are copied into columns so the
 * lookup for a run is an index seek; shift and cfg are REAL and compared with a tolerance in
 * TypeScript after the seek. `json_sha256` is what a recipe records as cacheProfileHash.
 *
 * `generations.cache_stats_json` is the CacheRunStats of a cached run, NULL for uncached runs
 * (and for every row written before this migration).
 */
import type { Migration } from './migration';

export const cacheProfilesMigration: Migration = {
  version: 2,
  name: 'cache-profiles',
  up(db) {
    db.exec(`
      CREATE TABLE cache_profiles (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id    TEXT    NOT NULL,           -- registry id when recorded or recognised on import, '' if unknown
        model_hash  TEXT    NOT NULL,
        scheduler   TEXT    NOT NULL,           -- diffusers class name
        steps       INTEGER NOT NULL,
        shift       REAL    NOT NULL,
        cfg         REAL    NOT NULL,
        width       INTEGER NOT NULL,           -- pixels
        height      INTEGER NOT NULL,
        prompts     INTEGER NOT NULL,           -- calibration prompts recorded
        created_at  TEXT    NOT NULL,           -- ISO 8601 UTC
        json        TEXT    NOT NULL,
        json_sha256 TEXT    NOT NULL,
        size_bytes  INTEGER NOT NULL            -- UTF-8 bytes of json
      ) STRICT;

      CREATE INDEX cache_profiles_key ON cache_profiles (model_hash, scheduler, steps, width, height, id);
      CREATE INDEX cache_profiles_model ON cache_profiles (model_id, id);

      ALTER TABLE generations ADD COLUMN cache_stats_json TEXT;
    `);
  },
};
