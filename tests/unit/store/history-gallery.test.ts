// The history repo's gallery side: filters, favourites and the undoable delete's row states.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../main/store/migrations';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { generation, tempDir } from './fixtures';

let dir: string;
let file: string;
let db: StudioDb;
beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'studio.db');
  db = openStudioDb(file);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ids = (records: { id: number }[]) => records.map((r) => r.id);

describe('history filters', () => {
  let a: number, b: number, c: number, d: number;
  beforeEach(() => {
    a = db.history.insert(generation({ prompt: 'grinning face', modelId: 'emoji' }, '2026-01-01T10:00:00.000Z')).id;
    b = db.history.insert(generation({ prompt: 'red heart', modelId: 'emoji', cache: { method: 'fora', interval: 2 } as never }, '2026-01-02T10:00:00.000Z')).id;
    c = db.history.insert(generation({ prompt: 'red apple', modelId: 'emoji-small', cache: { method: 'none' } as never }, '2026-01-03T10:00:00.000Z')).id;
    d = db.history.insert(generation({ prompt: 'red car', modelId: 'emoji-small', cache: { method: 'ertacache' } as never }, '2026-01-04T10:00:00.000Z')).id;
  });

  it('filters by model', () => {
    expect(ids(db.history.list({ model: 'emoji' }))).toEqual([b, a]);
    expect(ids(db.history.list({ model: 'emoji-small' }))).toEqual([d, c]);
    expect(db.history.list({ model: 'nope' })).toEqual([]);
  });

  it('filters by cache method; none means uncached or method none', () => {
    expect(ids(db.history.list({ cacheMethod: 'fora' }))).toEqual([b]);
    expect(ids(db.history.list({ cacheMethod: 'none' }))).toEqual([c, a]);
    expect(db.history.list({ cacheMethod: 'teacache' })).toEqual([]);
  });

  it('filters by a date range, from inclusive and to exclusive, across offsets', () => {
    expect(ids(db.history.list({ from: '2026-01-02T10:00:00.000Z', to: '2026-01-04T10:00:00.000Z' }))).toEqual([c, b]);
    // 12:00+02:00 is 10:00Z: the same instant written with an offset.
    expect(ids(db.history.list({ from: '2026-01-03T12:00:00+02:00' }))).toEqual([d, c]);
    expect(ids(db.history.list({ to: '2026-01-01T10:00:00.001Z' }))).toEqual([a]);
  });

  it('combines search, filters and pagination', () => {
    expect(ids(db.history.list({ search: 'red', model: 'emoji-small' }))).toEqual([d, c]);
    expect(ids(db.history.list({ search: 'red', model: 'emoji-small', limit: 1 }))).toEqual([d]);
    expect(ids(db.history.list({ search: 'red', model: 'emoji-small', before: d }))).toEqual([c]);
    expect(ids(db.history.list({ search: 'red', cacheMethod: 'none' }))).toEqual([c]);
  });

  it('stars and unstars, and lists favourites only', () => {
    expect(db.history.setFavourite(b, true)).toBe(true);
    expect(db.history.setFavourite(d, true)).toBe(true);
    expect(ids(db.history.list({ favourites: true }))).toEqual([d, b]);
    expect(db.history.get(b)?.favourite).toBe(true);
    expect(db.history.get(a)).not.toHaveProperty('favourite');
    expect(db.history.setFavourite(d, false)).toBe(true);
    expect(ids(db.history.list({ favourites: true }))).toEqual([b]);
    expect(db.history.setFavourite(9999, true)).toBe(false);
  });

  it('favourites survive reopening the database', () => {
    db.history.setFavourite(c, true);
    db.close();
    db = openStudioDb(file);
    expect(ids(db.history.list({ favourites: true }))).toEqual([c]);
  });
});

describe('undoable delete', () => {
  it('hides a deleted row from list, get and outputPath, and brings it back on unmark', () => {
    const keep = db.history.insert(generation({ prompt: 'keep', seed: 1 }));
    const gone = db.history.insert(generation({ prompt: 'gone', seed: 2 }));
    expect(db.history.markDeleted([gone.id, 424242], '2026-01-01T00:00:00.000Z')).toEqual([{ id: gone.id, outputPath: gone.outputPath }]);
    expect(ids(db.history.list({}))).toEqual([keep.id]);
    expect(db.history.list({ search: 'gone' })).toEqual([]);
    expect(db.history.get(gone.id)).toBeUndefined();
    expect(db.history.outputPath(gone.id)).toBeUndefined();
    expect(db.history.setFavourite(gone.id, true)).toBe(false);
    expect(db.history.trashState(gone.id)).toEqual({ state: 'deleted', outputPath: gone.outputPath });
    // A second delete of the same row changes nothing.
    expect(db.history.markDeleted([gone.id], '2026-01-02T00:00:00.000Z')).toEqual([]);

    expect(db.history.unmarkDeleted([gone.id, keep.id])).toEqual([{ id: gone.id, outputPath: gone.outputPath }]);
    expect(ids(db.history.list({}))).toEqual([gone.id, keep.id]);
    expect(db.history.get(gone.id)).toEqual(gone);
    expect(db.history.trashState(gone.id)).toEqual({ state: 'live', outputPath: gone.outputPath });
  });

  it('lists expired deletes oldest first and purges only deleted rows', () => {
    const [r1, r2, r3] = [1, 2, 3].map((seed) => db.history.insert(generation({ seed })));
    db.history.markDeleted([r2!.id], '2026-01-01T00:00:05.000Z');
    db.history.markDeleted([r1!.id], '2026-01-01T00:00:01.000Z');
    expect(ids(db.history.deletedBefore('2026-01-01T00:00:05.000Z'))).toEqual([r1!.id]);
    expect(ids(db.history.deletedBefore('2026-01-01T00:01:00.000Z'))).toEqual([r1!.id, r2!.id]);

    expect(db.history.purge([r1!.id, r2!.id, r3!.id])).toBe(2);
    expect(db.history.trashState(r1!.id)).toEqual({ state: 'gone' });
    expect(ids(db.history.list({}))).toEqual([r3!.id]);
    // Purged rows leave the full-text index too.
    expect(db.history.list({ search: 'lighthouse' })).toHaveLength(1);
  });
});

describe('migration 0008', () => {
  it('upgrades a version-7 database holding an unreadable row, and filters skip that row', () => {
    db.close();
    fs.rmSync(file);
    // The schema as version 7 of the app left it (its repos would name columns 0008 adds).
    const raw = new Database(file);
    for (const m of MIGRATIONS.slice(0, 7)) m.up(raw);
    raw.pragma('user_version = 7');
    const insert = raw.prepare<[string, string]>(
      `INSERT INTO generations (created_at, prompt, negative_prompt, steps, cfg, seed, model_id, model_hash, provider, scheduler, width, height, total_ms, recipe_json, timings_json, output_path)
       VALUES ('2026-01-01T00:00:00.000Z', 'p', '', 1, 1, 1, 'tiny-sd', 'x', 'cpu', 's', 64, 64, 1, ?, ?, '/tmp/x.png')`,
    );
    const good = generation({ prompt: 'good' });
    const goodId = Number(insert.run(JSON.stringify(good.recipe), JSON.stringify(good.timings)).lastInsertRowid);
    insert.run('{not json', '{}');
    raw.close();

    db = openStudioDb(file);
    expect(db.schemaVersion).toBe(MIGRATIONS.length);
    expect(ids(db.history.list({ cacheMethod: 'none' }))).toEqual([goodId]);
    expect(ids(db.history.list({ model: 'tiny-sd' }))).toEqual([goodId]);
    expect(db.history.get(goodId)).not.toHaveProperty('favourite');
  });
});
