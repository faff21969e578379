// The undoable delete on a real SQLite file and real files: delete, undo, purge, and recovery
// from a process killed between two steps.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGalleryTrash, type GalleryTrash } from '../../../main/gallery/trash';
import { deleteUndoMs } from '../../../main/gallery/undo-window';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { generation, tempDir } from '../store/fixtures';

const UNDO_MS = 5_000;
let dir: string;
let db: StudioDb;
let clock: number;
let trash: GalleryTrash;
const trashDir = () => path.join(dir, 'trash');

beforeEach(() => {
  dir = tempDir('studio-trash-');
  db = openStudioDb(path.join(dir, 'studio.db'));
  clock = Date.parse('2026-03-01T12:00:00.000Z');
  trash = createGalleryTrash({ history: () => db.history, dir: trashDir(), undoMs: UNDO_MS, now: () => clock });
});
afterEach(() => {
  trash.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A history row whose PNG really exists under outputs/. */
function saved(seed: number) {
  const file = path.join(dir, 'outputs', '2026-03-01', `${seed}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `png ${seed}`);
  return db.history.insert({ ...generation({ seed }), outputPath: file });
}

describe('gallery trash', () => {
  it('moves the file to the trash on delete and back on restore', () => {
    const r = saved(1);
    expect(trash.delete([r.id, 999])).toEqual({ deleted: [r.id], undoMs: UNDO_MS, failed: [] });
    expect(fs.existsSync(r.outputPath)).toBe(false);
    expect(fs.readFileSync(path.join(trashDir(), `${r.id}.png`), 'utf8')).toBe('png 1');
    expect(db.history.get(r.id)).toBeUndefined();

    clock += UNDO_MS - 1;
    expect(trash.purgeExpired()).toEqual([]);
    expect(trash.restore([r.id])).toEqual({ restored: [r.id] });
    expect(fs.readFileSync(r.outputPath, 'utf8')).toBe('png 1');
    expect(fs.readdirSync(trashDir())).toEqual([]);
    expect(db.history.get(r.id)).toEqual(r);
  });

  it('keeps a record live when its file cannot move to the trash', () => {
    const [ok, stuck] = [saved(7), saved(8)];
    // A folder where the trash file of `stuck` would go makes its rename fail.
    fs.mkdirSync(path.join(trashDir(), `${stuck.id}.png`, 'inside'), { recursive: true });
    const result = trash.delete([ok.id, stuck.id]);
    expect(result.deleted).toEqual([ok.id]);
    expect(result.failed).toEqual([{ id: stuck.id, reason: expect.stringContaining(stuck.outputPath) }]);
    expect(db.history.get(stuck.id)).toEqual(stuck);
    expect(fs.existsSync(stuck.outputPath)).toBe(true);
  });

  it('purges the row and the file once the undo window has passed', () => {
    const [a, b] = [saved(1), saved(2)];
    trash.delete([a.id]);
    clock += 1_000;
    trash.delete([b.id]);
    clock += UNDO_MS;
    expect(trash.purgeExpired()).toEqual([a.id]);
    expect(fs.existsSync(path.join(trashDir(), `${a.id}.png`))).toBe(false);
    expect(db.history.trashState(a.id)).toEqual({ state: 'gone' });
    // Too late to undo: nothing comes back.
    expect(trash.restore([a.id])).toEqual({ restored: [] });
    clock += 1_000;
    expect(trash.purgeExpired()).toEqual([b.id]);
    expect(fs.readdirSync(trashDir())).toEqual([]);
  });

  it('recovers after a kill between marking a row and moving its file', () => {
    const r = saved(3);
    db.history.markDeleted([r.id], new Date(clock).toISOString()); // the file never moved
    clock += UNDO_MS + 1;
    trash.recover();
    expect(fs.existsSync(r.outputPath)).toBe(false);
    expect(db.history.trashState(r.id)).toEqual({ state: 'gone' });
  });

  it('recovers after a kill between unmarking a row and moving its file back', () => {
    const r = saved(4);
    trash.delete([r.id]);
    db.history.unmarkDeleted([r.id]); // the file stayed in the trash
    trash.recover();
    expect(fs.readFileSync(r.outputPath, 'utf8')).toBe('png 4');
    expect(fs.readdirSync(trashDir())).toEqual([]);
  });

  it('removes trash files whose row is gone, keeps those still inside the window and files it did not write', () => {
    const r = saved(5);
    trash.delete([r.id]);
    fs.writeFileSync(path.join(trashDir(), '77777.png'), 'orphan');
    fs.writeFileSync(path.join(trashDir(), 'notes.txt'), 'not ours');
    trash.recover();
    expect(fs.readdirSync(trashDir()).sort()).toEqual([`${r.id}.png`, 'notes.txt']);
    expect(trash.restore([r.id])).toEqual({ restored: [r.id] });
    expect(fs.existsSync(r.outputPath)).toBe(true);
  });

  it('purges on its own timer after the window', async () => {
    const real = createGalleryTrash({ history: () => db.history, dir: trashDir(), undoMs: 1_000 });
    try {
      const r = saved(6);
      real.delete([r.id]);
      await expect.poll(() => db.history.trashState(r.id).state, { timeout: 5_000, interval: 100 }).toBe('gone');
      expect(fs.existsSync(path.join(trashDir(), `${r.id}.png`))).toBe(false);
    } finally {
      real.close();
    }
  });
});

describe('undo window setting', () => {
  it('defaults to 10 s and takes STUDIO_DELETE_UNDO_MS within 1 s..10 min', () => {
    expect(deleteUndoMs({})).toBe(10_000);
    expect(deleteUndoMs({ STUDIO_DELETE_UNDO_MS: '2500' })).toBe(2500);
    for (const bad of ['999', '600001', 'soon', '-5', '1e4']) {
      expect(() => deleteUndoMs({ STUDIO_DELETE_UNDO_MS: bad })).toThrow(/STUDIO_DELETE_UNDO_MS must be a number of milliseconds between 1000 and 600000/);
    }
  });
});
