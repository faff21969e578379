/**
 * Only one studio process runs the job queue of a STUDIO_HOME at a time. The desktop app,
 * browser mode (any number of servers) and the CLI may all open the same store; if two of
 * them ran the queue, each would take the other's running job for one left behind by a crash.
 *
 * The lock is an SQLite file held in EXCLUSIVE locking mode: the connection keeps its
 * exclusive file lock until it is closed, and the operating system drops the lock when the
 * process dies however it dies (SIGKILL, power loss), so a crashed studio never leaves a stale
 * lock behind and the next one recovers its jobs at once.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';

export interface QueueLock {
  readonly file: string;
  /**
   * Takes the lock if no other connection (in any process) holds it; true while held.
   * @throws StudioError STORE when the lock file cannot be created or opened
   */
  tryAcquire(): boolean;
  release(): void;
}

export function queueLock(file: string): QueueLock {
  let held: Database.Database | undefined;
  return {
    file,
    tryAcquire() {
      if (held) return true;
      let db: Database.Database;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting for it.
        db = new Database(file, { timeout: 0 });
      } catch (err) {
        throw new StudioError('STORE', `Cannot open the job queue's lock file ${file}: ${(err as Error).message}. Check the folder's permissions.`, file);
      }
      try {
        db.pragma('locking_mode = EXCLUSIVE');
        // The first write takes the exclusive lock, which this locking mode never gives back.
        db.exec('BEGIN EXCLUSIVE; COMMIT;');
        held = db;
        return true;
      } catch (err) {
        db.close();
        if ((err as { code?: unknown }).code === 'SQLITE_BUSY') return false;
        throw err;
      }
    },
    release() {
      held?.close();
      held = undefined;
    },
  };
}
