/**
 * 0008: the gallery's favourites and undoable delete.
 *
 * - `favourite`: 1 when the user starred the image, else 0.
 * - `deleted_at`: ISO 8601 UTC time of a delete the user can still undo; NULL for a live row.
 *   A deleted row is hidden from every read, its PNG waits in STUDIO_HOME/trash, and the row
 *   and the file are purged once the undo window has passed (main/gallery/trash.ts).
 * - `cache_method`: the recipe's cache method ('none' for an uncached run), computed from
 *   recipe_json so the model, method and date filters all run on indexed columns. `json_valid`
 *   guards it (NULL then): one unreadable row must not make the filter, or this migration's
 *   index, fail for every row.
 */
import type { Migration } from './migration';

export const galleryMigration: Migration = {
  version: 8,
  name: 'gallery',
  up(db) {
    db.exec(`
      ALTER TABLE generations ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1));
      ALTER TABLE generations ADD COLUMN deleted_at TEXT;
      ALTER TABLE generations ADD COLUMN cache_method TEXT
        GENERATED ALWAYS AS (CASE WHEN json_valid(recipe_json) THEN coalesce(json_extract(recipe_json, '$.cache.method'), 'none') END) VIRTUAL;
      CREATE INDEX generations_favourite ON generations (favourite, id);
      CREATE INDEX generations_cache_method ON generations (cache_method, id);
      CREATE INDEX generations_created_at ON generations (created_at);
      CREATE INDEX generations_deleted_at ON generations (deleted_at) WHERE deleted_at IS NOT NULL;
    `);
  },
};
