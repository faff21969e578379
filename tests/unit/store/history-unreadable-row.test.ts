import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { createHistoryRepo } from '../../../main/store/history-repo';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { generation, tempDir } from './fixtures';

let dir: string;
let db: StudioDb;
let ids: number[];

beforeEach(() => {
  dir = tempDir();
  db = openStudioDb(path.join(dir, 'studio.db'));
  ids = [1, 2, 3, 4, 5].map((seed) => db.history.insert(generation({ seed, prompt: `red apple ${seed}` })).id);
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Damages rows the way a torn write or a hand edit would, through a second connection. */
function damage(sql: string, ...params: unknown[]): void {
  const raw = new Database(db.file);
  raw.prepare(sql).run(...params);
  raw.close();
}

describe('one unreadable history row', () => {
  it('is skipped by list, which returns every other row, reports it once and leaves it in the database', () => {
    damage('UPDATE generations SET recipe_json = ? WHERE id = ?', '{"prompt": "red apple 3", "st', ids[2]);
    const warnings: string[] = [];
    const conn = new Database(db.file);
    const history = createHistoryRepo(conn, db.file, (m) => warnings.push(m));
    const page = history.listPage({});
    expect(page.records.map((r) => r.id)).toEqual([ids[4], ids[3], ids[1], ids[0]]);
    expect(page.skipped).toEqual([{ id: ids[2], reason: expect.stringMatching(/JSON/) }]);
    expect(history.list({ search: 'apple' }).map((r) => r.id)).toEqual([ids[4], ids[3], ids[1], ids[0]]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`generation ${ids[2]} in .*studio\\.db is unreadable .*left in the database`));
    const raw = new Database(db.file, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM generations').get()).toEqual({ n: 5 });
    raw.close();
    conn.close();
  });

  it('does not shorten a page: the page is filled from older rows, so paging by count still finds the rest', () => {
    damage('UPDATE generations SET timings_json = ? WHERE id = ?', 'null', ids[3]);
    const first = db.history.listPage({ limit: 2 });
    expect(first.records.map((r) => r.id)).toEqual([ids[4], ids[2]]);
    expect(first.skipped.map((s) => s.id)).toEqual([ids[3]]);
    expect(db.history.list({ limit: 2, before: ids[2] }).map((r) => r.id)).toEqual([ids[1], ids[0]]);
  });

  it('valid JSON of the wrong kind counts as unreadable too', () => {
    damage('UPDATE generations SET recipe_json = ? WHERE id = ?', '42', ids[0]);
    expect(db.history.listPage({}).skipped.map((s) => s.id)).toEqual([ids[0]]);
  });

  it('get of that row is a STORE error naming it; get of the others and every image path still work', () => {
    damage('UPDATE generations SET cache_stats_json = ? WHERE id = ?', '{]', ids[1]);
    let err: unknown;
    try {
      db.history.get(ids[1] as number);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('STORE');
    expect((err as StudioError).message).toMatch(new RegExp(`^Generation ${ids[1]} in the history database at .* is unreadable .*the rest of the history is fine`));
    expect(db.history.get(ids[0] as number)?.recipe.seed).toBe(1);
    expect(db.history.outputPath(ids[1] as number)).toBe('/tmp/out/2.png');
    expect(db.history.outputPath(999)).toBeUndefined();
    expect(db.history.allOutputPaths()).toEqual(new Set([1, 2, 3, 4, 5].map((s) => `/tmp/out/${s}.png`)));
  });
});
