/**
 * 0003: the job queue, so queued work survives a crash or a restart.
 *
 * One row per job. `seq` is the insertion order; the queue runs queued rows by
 * (COALESCE(queue_pos, seq), seq), so an automatic retry of an interrupted job (which sets
 * queue_pos to the interrupted job's seq) runs where that job stood instead of last.
 * `result_ref` is the id of the row the job produced (generations.id for 'generate',
 * cache_profiles.id for 'profile'); it is written in the same transaction as that row, so a
 * job is done exactly when its result exists. No foreign key on it: its table depends on `kind`.
 */
import type { Migration } from './migration';

export const jobsMigration: Migration = {
  version: 3,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT    NOT NULL UNIQUE,     -- UUID the API uses
        kind         TEXT    NOT NULL,            -- 'generate', 'profile', …
        request_json TEXT    NOT NULL,            -- the validated request
        state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        step         INTEGER NOT NULL DEFAULT 0,  -- finished steps, saved now and then while running
        total_steps  INTEGER NOT NULL,
        result_ref   INTEGER,
        error_json   TEXT,                        -- ApiError JSON for failed and interrupted jobs
        attempt      INTEGER NOT NULL DEFAULT 1,
        retry_of     TEXT,                        -- jobs.id this one retries
        queue_pos    INTEGER,                     -- see above; NULL = seq
        created_at   TEXT    NOT NULL,            -- ISO 8601 UTC
        started_at   TEXT,
        finished_at  TEXT
      ) STRICT;

      CREATE INDEX jobs_state ON jobs (state, seq);
      CREATE INDEX jobs_retry_of ON jobs (retry_of);
    `);
  },
};
