/**
 * 0007: post-training quantization. `quant_reports` keeps what each quantize job wrote (the
 * variant, its op report; a job's result reference points here). `quant_calibrations` keeps the
 * PTQD/TCEC compensation tables, one row per (component, variant, scheduler, steps, CFG, size):
 * a re-fit or an import replaces the row for its key.
 */
import type { Migration } from './migration';

export const quantMigration: Migration = {
  version: 7,
  name: 'quant',
  up(db) {
    db.exec(`
      CREATE TABLE quant_reports (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        model_id   TEXT NOT NULL,
        variant    TEXT NOT NULL,
        created_at TEXT NOT NULL,           -- ISO 8601 UTC
        json       TEXT NOT NULL            -- the quantize result (contract/quant.ts QuantizeResult)
      ) STRICT;
      CREATE TABLE quant_calibrations (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        component_hash TEXT NOT NULL,
        variant        TEXT NOT NULL,
        variant_sha256 TEXT NOT NULL,
        scheduler      TEXT NOT NULL,
        steps          INTEGER NOT NULL,
        cfg            REAL NOT NULL,
        width          INTEGER NOT NULL,
        height         INTEGER NOT NULL,
        created_at     TEXT NOT NULL,
        json           TEXT NOT NULL,       -- core/quant/compensation-tables.ts CompensationTables
        UNIQUE (component_hash, variant, scheduler, steps, cfg, width, height)
      ) STRICT;
    `);
  },
};
