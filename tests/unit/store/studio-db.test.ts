import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { MIGRATIONS } from '../../../main/store/migrations';
import { LATEST_SCHEMA_VERSION, openStudioDb } from '../../../main/store/studio-db';
import { generation, tempDir } from './fixtures';

const dirs: string[] = [];
function dbFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, 'nested', 'studio.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function storeFailure(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('STORE');
    return err as StudioError;
  }
  throw new Error('expected a STORE error');
}

describe('openStudioDb', () => {
  it('creates the folder and the file, migrated to the latest schema', () => {
    const file = dbFile();
    const db = openStudioDb(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(db.file).toBe(path.resolve(file));
    db.close();
    db.close(); // idempotent
  });

  it('turns on WAL (persisted in the file) and foreign keys, and records user_version', () => {
    const file = dbFile();
    const db = openStudioDb(file);
    db.history.insert(generation());
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    raw.close();
    db.close();
  });

  it('is idempotent on reopen: migrations run once and data survives a restart', () => {
    const file = dbFile();
    const first = openStudioDb(file);
    const saved = first.history.insert(generation({ prompt: 'survives restart' }));
    first.close();
    const second = openStudioDb(file);
    expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(second.history.get(saved.id)).toEqual(saved);
    expect(second.history.list({})).toHaveLength(1);
    second.close();
  });

  it('migrates an existing schema-0 file (an empty database left by an older app)', () => {
    const file = dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const empty = new Database(file);
    empty.exec('CREATE TABLE unrelated (x)');
    empty.close();
    const current = openStudioDb(file);
    expect(current.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    current.history.insert(generation());
    current.close();
  });

  it('refuses a database written by a newer app and leaves it unchanged', () => {
    const file = dbFile();
    openStudioDb(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    const err = storeFailure(() => openStudioDb(file));
    expect(err.message).toContain(`The history database at ${path.resolve(file)} was written by a newer version`);
    expect(err.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 5}`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a corrupt file clearly and does not overwrite it', () => {
    const file = dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const garbage = Buffer.alloc(8192, 0x5a);
    fs.writeFileSync(file, garbage);
    const err = storeFailure(() => openStudioDb(file));
    expect(err.message).toMatch(new RegExp(`^The history database at ${path.resolve(file).replace(/[.]/g, '\\.')} is corrupt: `));
    expect(err.detail).toBe(path.resolve(file));
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('rejects a misnumbered migration list before touching the file', () => {
    const file = dbFile();
    const bad = [{ version: 2, name: 'skips-one', up: () => undefined }];
    expect(() => openStudioDb(file, bad)).toThrow(/expected 1/);
  });

  it('rolls back a failing migration, keeping the previous schema version', () => {
    const file = dbFile();
    openStudioDb(file).close();
    const failing = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      up: (db: Database.Database) => {
        db.exec('CREATE TABLE half_done (x)');
        db.exec('THIS IS NOT SQL');
      },
    };
    const err = storeFailure(() => openStudioDb(file, [...MIGRATIONS, failing]));
    expect(err.message).toContain('broken');
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    raw.close();
  });
});
