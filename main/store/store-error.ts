/**
 * Turns SQLite failures into `StudioError('STORE', …)` sentences a user can act on.
 *
 * Why: better-sqlite3 throws `SqliteError` with a `code` such as `SQLITE_CORRUPT`; the UI
 * must not see raw SQLite text without context, and a corrupt file must be reported as
 * such (and left untouched, so nothing is lost) rather than as an internal error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';

/** Below this much free space, an I/O error while writing is taken to be a full disk. */
export const DISK_FULL_BELOW_BYTES = 1024 * 1024;

/** Free bytes for an unprivileged user on the file system holding `dir`; undefined when unknown. */
export function diskFreeBytes(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True for the codes SQLite uses when a file is not (or no longer) a valid database. */
export function isCorruption(err: unknown): boolean {
  const code = sqliteCode(err) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/**
 * True when `err` means the disk is full: SQLITE_FULL, ENOSPC/EDQUOT from the file system, or an
 * SQLite I/O error (SQLite reports a failed write on a full disk as SQLITE_IOERR_WRITE, "disk I/O
 * error", as often as SQLITE_FULL) while the disk holding `file` has almost no space left.
 */
export function isDiskFull(err: unknown, file: string, freeBytes: (dir: string) => number | undefined = diskFreeBytes): boolean {
  const code = sqliteCode(err) ?? '';
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT') return true;
  if (!code.startsWith('SQLITE_IOERR')) return false;
  const free = freeBytes(path.dirname(file));
  return free !== undefined && free < DISK_FULL_BELOW_BYTES;
}

/**
 * Wraps `err` from operation `op` on the database `file`. StudioErrors pass through
 * unchanged, so wrapping twice is harmless. `freeBytes` is a parameter for tests only.
 */
export function storeError(op: string, file: string, err: unknown, freeBytes: (dir: string) => number | undefined = diskFreeBytes): StudioError {
  if (err instanceof StudioError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const code = sqliteCode(err) ?? '';
  if (isDiskFull(err, file, freeBytes)) {
    return new StudioError('STORE', `The disk holding ${file} is full (${op}). Free some space and retry; nothing saved before was lost.`, file);
  }
  if (isCorruption(err)) {
    return new StudioError(
      'STORE',
      `The history database at ${file} is corrupt: ${raw}. It was left untouched; move it aside (or restore a backup) and restart the studio to begin a new history.`,
      file,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StudioError('STORE', `The history database at ${file} is locked by another process (${op}): ${raw}. Close other studio windows and retry.`, file);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StudioError('STORE', `The history database at ${file} could not be read or written (${op}): ${raw} (${code}). Check the disk, then retry.`, file);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new StudioError('STORE', `The history database at ${file} cannot be written (${op}): ${raw}. Check the folder's permissions.`, file);
  }
  return new StudioError('STORE', `History database error during ${op} (${file}): ${raw}`, file);
}
