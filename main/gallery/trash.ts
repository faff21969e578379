/**
 * The gallery's undoable delete: a deleted record is hidden at once, its PNG moves to
 * STUDIO_HOME/trash/<id>.png, and both are purged once the undo window has passed. A restore
 * within the window moves the file back and shows the row again.
 *
 * Every step is ordered so that a process killed between two of them loses nothing the user
 * could still undo, and leaves nothing behind after the next start (`recover`):
 * - delete: mark the row, then move its file. Killed in between: the marked row's file is
 *   still in outputs; the purge removes it from there.
 * - restore: unmark the row, then move its file back. Killed in between: a live row's file
 *   sits in the trash; `recover` moves it back.
 * - purge: remove the file, then the row. Killed in between: a marked row without a file; the
 *   next purge removes the row.
 * - a trash file whose row is gone (purged by another process) is removed by `recover`.
 *
 * Ids are never reused (AUTOINCREMENT, migration 0001), so <id> names one record for good.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DeleteResult, RestoreResult } from '../../contract/gallery';
import type { HistoryRepo, TrashEntry } from '../store/history-repo';

export interface GalleryTrashOptions {
  /** The history repo, opened on first use (the service opens its store lazily). */
  history: () => HistoryRepo;
  /** STUDIO_HOME/trash; created when the first file moves in. */
  dir: string;
  /** The undo window, ms. */
  undoMs: number;
  /** Clock in ms since the epoch (tests move it). */
  now?: () => number;
}

export interface GalleryTrash {
  delete(ids: readonly number[]): DeleteResult;
  restore(ids: readonly number[]): RestoreResult;
  /** Purges every record whose undo window has passed; returns the ids purged. */
  purgeExpired(): number[];
  /** Start-up: puts back files of restored rows, removes trash files whose row is gone, purges expired deletes. */
  recover(): void;
  /** Stops the purge timer (pending deletes are purged at the next start). */
  close(): void;
}

/** Slack after the window before the purge runs, so an Undo clicked at the last moment still wins. */
const PURGE_SLACK_MS = 500;
const TRASH_NAME = /^(\d{1,16})(\.[a-z0-9]{1,8})?$/i;

export function createGalleryTrash(options: GalleryTrashOptions): GalleryTrash {
  const { dir, undoMs } = options;
  const now = options.now ?? Date.now;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const trashPath = (entry: TrashEntry): string => path.join(dir, `${entry.id}${path.extname(entry.outputPath) || '.png'}`);

  function schedulePurge(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      try {
        purgeExpired();
      } catch (err) {
        // The store may be busy or broken; what is left is purged at the next delete or start.
        console.error('studio: could not purge deleted images:', err);
      }
    }, undoMs + PURGE_SLACK_MS);
    // A pending purge never keeps the process alive; `recover` finishes it at the next start.
    timer.unref?.();
  }

  function purgeExpired(): number[] {
    const history = options.history();
    const expired = history.deletedBefore(new Date(now() - undoMs).toISOString());
    for (const entry of expired) {
      removeIfPresent(trashPath(entry));
      // Killed between mark and move: the file never left outputs.
      removeIfPresent(entry.outputPath);
    }
    history.purge(expired.map((e) => e.id));
    return expired.map((e) => e.id);
  }

  return {
    delete(ids) {
      const history = options.history();
      const marked = history.markDeleted(ids, new Date(now()).toISOString());
      const deleted: number[] = [];
      const failed: DeleteResult['failed'] = [];
      for (const entry of marked) {
        try {
          moveIfPresent(entry.outputPath, trashPath(entry));
          deleted.push(entry.id);
        } catch (err) {
          // A file that cannot move (permissions, a read-only disk) keeps its record live.
          history.unmarkDeleted([entry.id]);
          failed.push({ id: entry.id, reason: `${entry.outputPath} could not be moved to ${dir}: ${(err as Error).message}` });
        }
      }
      if (deleted.length > 0) schedulePurge();
      return { deleted, undoMs, failed };
    },

    restore(ids) {
      const unmarked = options.history().unmarkDeleted(ids);
      for (const entry of unmarked) moveIfPresent(trashPath(entry), entry.outputPath);
      return { restored: unmarked.map((e) => e.id) };
    },

    purgeExpired,

    recover() {
      const history = options.history();
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      for (const name of names) {
        const match = TRASH_NAME.exec(name);
        if (!match) continue; // not a file this module wrote
        const file = path.join(dir, name);
        const row = history.trashState(Number(match[1]));
        if (row.state === 'gone') removeIfPresent(file);
        else if (row.state === 'live') {
          if (fs.existsSync(row.outputPath)) removeIfPresent(file);
          else moveIfPresent(file, row.outputPath);
        }
      }
      purgeExpired();
      // Deletes still inside their window when the studio stopped get their purge now.
      if (history.deletedBefore(new Date(now() + undoMs + PURGE_SLACK_MS).toISOString()).length > 0) schedulePurge();
    },

    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Moves `from` to `to` (creating `to`'s folder); nothing to move is not an error. */
function moveIfPresent(from: string, to: string): void {
  try {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EXDEV') throw err;
    // STUDIO_HOME/outputs on another file system than the trash: copy, then remove.
    fs.copyFileSync(from, to);
    fs.rmSync(from, { force: true });
  }
}

function removeIfPresent(file: string): void {
  fs.rmSync(file, { force: true });
}
