/**
 * 0001: generation history with full-text search over prompts.
 *
 * The recipe is stored whole as JSON (the source of truth, so fields added later survive
 * a round trip) and its queryable fields are copied into columns. `generations_fts` is an
 * external-content FTS5 table over the two prompts, kept in sync by triggers, so search
 * never scans the table and the text is not stored twice.
 */
import type { Migration } from './migration';

export const historyMigration: Migration = {
  version: 1,
  name: 'history',
  up(db) {
    db.exec(`
      -- AUTOINCREMENT: ids are never reused, so an image URL (/images/<id>.png) stays valid.
      CREATE TABLE generations (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at      TEXT    NOT NULL,           -- ISO 8601 UTC
        prompt          TEXT    NOT NULL,
        negative_prompt TEXT    NOT NULL,
        steps           INTEGER NOT NULL,
        cfg             REAL    NOT NULL,
        seed            INTEGER NOT NULL,           -- unsigned 32-bit
        model_id        TEXT    NOT NULL,
        model_hash      TEXT    NOT NULL,
        provider        TEXT    NOT NULL,
        scheduler       TEXT    NOT NULL,
        width           INTEGER NOT NULL,
        height          INTEGER NOT NULL,
        total_ms        REAL    NOT NULL,
        recipe_json     TEXT    NOT NULL,
        timings_json    TEXT    NOT NULL,
        output_path     TEXT    NOT NULL
      ) STRICT;

      CREATE INDEX generations_model ON generations (model_id, id);
      CREATE INDEX generations_seed ON generations (seed);

      CREATE VIRTUAL TABLE generations_fts USING fts5 (
        prompt, negative_prompt,
        content = 'generations', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER generations_fts_insert AFTER INSERT ON generations BEGIN
        INSERT INTO generations_fts (rowid, prompt, negative_prompt)
        VALUES (new.id, new.prompt, new.negative_prompt);
      END;
      CREATE TRIGGER generations_fts_delete AFTER DELETE ON generations BEGIN
        INSERT INTO generations_fts (generations_fts, rowid, prompt, negative_prompt)
        VALUES ('delete', old.id, old.prompt, old.negative_prompt);
      END;
      CREATE TRIGGER generations_fts_update AFTER UPDATE OF prompt, negative_prompt ON generations BEGIN
        INSERT INTO generations_fts (generations_fts, rowid, prompt, negative_prompt)
        VALUES ('delete', old.id, old.prompt, old.negative_prompt);
        INSERT INTO generations_fts (rowid, prompt, negative_prompt)
        VALUES (new.id, new.prompt, new.negative_prompt);
      END;
    `);
  },
};
