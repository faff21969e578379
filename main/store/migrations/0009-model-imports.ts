/**
 * 0009: the models imported into STUDIO_HOME/models (`models.import`, `studio models import`):
 * where each came from, whether it was copied or linked, and the content hash the copy was
 * checked against. The import job's result reference points at its row.
 */
import type { Migration } from './migration';

export const modelImportsMigration: Migration = {
  version: 9,
  name: 'model-imports',
  up(db) {
    db.exec(`
      CREATE TABLE model_imports (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id   TEXT    NOT NULL,           -- the id models.list shows
        source     TEXT    NOT NULL,           -- absolute folder it was imported from
        dir        TEXT    NOT NULL,           -- its folder (or link) under STUDIO_HOME/models
        mode       TEXT    NOT NULL CHECK (mode IN ('copy', 'link')),
        sha256     TEXT    NOT NULL,           -- pipeline content hash (main/runtime/model-hash.ts)
        bytes      INTEGER NOT NULL,
        created_at TEXT    NOT NULL            -- ISO 8601 UTC
      ) STRICT;
      CREATE INDEX model_imports_model ON model_imports (model_id, id);
    `);
  },
};
