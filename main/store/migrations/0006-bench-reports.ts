/**
 * 0006: benchmark reports run as jobs (`bench.start`): the whole report as JSON, so a job's
 * result reference can point at it and the app can show it again after a restart.
 */
import type { Migration } from './migration';

export const benchReportsMigration: Migration = {
  version: 6,
  name: 'bench-reports',
  up(db) {
    db.exec(`
      CREATE TABLE bench_reports (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind       TEXT NOT NULL,           -- 'hybrid'
        created_at TEXT NOT NULL,           -- ISO 8601 UTC
        json       TEXT NOT NULL            -- the report
      ) STRICT;
    `);
  },
};
