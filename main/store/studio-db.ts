/**
 * Opens the studio's SQLite store: one file under STUDIO_HOME shared by the desktop app,
 * browser mode and the CLI.
 *
 * - WAL journal, so the UI can read history while a generation writes (and two studio
 *   processes can share the file); `busy_timeout` waits out a writer instead of failing.
 * - `foreign_keys = ON` (off by default in SQLite) so later migrations can rely on them.
 * - Numbered migrations (`./migrations`) run in one IMMEDIATE transaction and bump
 *   `PRAGMA user_version` with it, so a crash mid-migration leaves the old schema intact.
 * - A file written by a newer app, or one that is not a database, is refused with a
 *   `StudioError('STORE', …)` and left untouched: nothing is lost.
 *
 * Runs on the main thread: every query here is a few milliseconds (better-sqlite3 docs).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { createHistoryRepo, type HistoryRepo } from './history-repo';
import type { HashStore } from '../runtime/model-hash';
import { createBenchReportsRepo, type BenchReportsRepo } from './bench-reports-repo';
import { createQuantCalibrationsRepo, type QuantCalibrationsRepo } from './quant-calibrations-repo';
import { createQuantReportsRepo, type QuantReportsRepo } from './quant-reports-repo';
import { createFolderHashesRepo } from './folder-hashes-repo';
import { createJobsRepo, type JobsRepo } from './jobs-repo';
import { createModelImportsRepo, type ModelImportsRepo } from './model-imports-repo';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { createProfilesRepo, type ProfilesRepo } from './profiles-repo';
import type { Migration } from './migrations/migration';
import { storeError } from './store-error';

export interface StudioDb {
  readonly history: HistoryRepo;
  /** Cache calibration profiles (migration 0002). */
  readonly profiles: ProfilesRepo;
  /** The job queue (migration 0003). */
  readonly jobs: JobsRepo;
  /** Content hashes of model folders (migration 0004), consulted before rehashing. */
  readonly folderHashes: HashStore;
  /** Benchmark reports run as jobs (migration 0006). */
  readonly benchReports: BenchReportsRepo;
  /** Quantize job results (0007). */
  readonly quantReports: QuantReportsRepo;
  /** PTQD/TCEC compensation tables (0007). */
  readonly quantCalibrations: QuantCalibrationsRepo;
  /** Models imported into STUDIO_HOME/models (0009). */
  readonly modelImports: ModelImportsRepo;
  /**
   * Runs `fn` in one IMMEDIATE transaction (nested calls become savepoints), so e.g. a
   * history row and its job's completion are written together or not at all.
   */
  transaction<T>(fn: () => T): T;
  /** Absolute path of the database file. */
  readonly file: string;
  /** `PRAGMA user_version` after migrating. */
  readonly schemaVersion: number;
  /** Closes the connection (and checkpoints the WAL). Safe to call twice. */
  close(): void;
}

/** How long a statement waits for another process's write lock, in milliseconds. */
const BUSY_TIMEOUT_MS = 5000;

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Checks the migration list itself: versions 1..n in order, so numbering mistakes fail fast. */
function checkMigrationList(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StudioError('INTERNAL', `Migration "${m.name}" has version ${m.version}; expected ${i + 1}`);
    }
  });
}

/** Applies every migration newer than the file's user_version; returns the resulting version. */
function migrate(db: Database.Database, file: string, list: readonly Migration[]): number {
  checkMigrationList(list);
  const latest = list.length;
  const run = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = userVersion(db);
    if (current > latest) {
      throw new StudioError(
        'STORE',
        `The history database at ${file} was written by a newer version of Diffusion Studio (schema ${current}; this version knows up to ${latest}). Update the studio, or set STUDIO_HOME to another folder.`,
        file,
      );
    }
    for (const m of list.slice(current)) {
      try {
        m.up(db);
      } catch (err) {
        throw storeError(`migration ${m.version} (${m.name})`, file, err);
      }
      // PRAGMA cannot take a bound parameter; m.version is an integer from our own list.
      db.pragma(`user_version = ${m.version}`);
    }
    return userVersion(db);
  });
  return run.immediate();
}

/**
 * Opens (creating if needed) the database at `file` and brings its schema up to date.
 * `migrations` is a parameter only so tests can simulate an older app; callers omit it.
 */
export function openStudioDb(file: string, migrations: readonly Migration[] = MIGRATIONS): StudioDb {
  const abs = path.resolve(file);
  let db: Database.Database;
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    db = new Database(abs);
  } catch (err) {
    throw storeError('opening', abs, err);
  }
  try {
    // The first statement reads the header, so a non-database file fails here (SQLITE_NOTADB).
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // NORMAL is durable in WAL mode except for the last commits on power loss; FULL fsyncs every write.
    db.pragma('synchronous = NORMAL');
    const schemaVersion = migrate(db, abs, migrations);
    const history = createHistoryRepo(db, abs);
    const profiles = createProfilesRepo(db, abs);
    const jobs = createJobsRepo(db, abs);
    const folderHashes = createFolderHashesRepo(db);
    const benchReports = createBenchReportsRepo(db, abs);
    const quantReports = createQuantReportsRepo(db, abs);
    const quantCalibrations = createQuantCalibrationsRepo(db, abs);
    const modelImports = createModelImportsRepo(db, abs);
    return {
      history,
      profiles,
      jobs,
      folderHashes,
      benchReports,
      quantReports,
      quantCalibrations,
      modelImports,
      transaction: (fn) => db.transaction(fn).immediate(),
      file: abs,
      schemaVersion,
      close() {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw storeError('opening', abs, err);
  }
}

export { LATEST_SCHEMA_VERSION };
