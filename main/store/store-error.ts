/**
 * Turns SQLite failures into `StudioError('STORE', …)` sentences a user can act on.
 *
 * Why: better-sqlite3 throws `SqliteError` with a `code` such as `SQLITE_CORRUPT`; the UI
 * must not see raw SQLite text without context, and a corrupt file must be reported as
 * such (and left untouched, so nothing is lost) rather than as an internal error.
 */
import { StudioError } from '../../contract/errors';

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
 * Wraps `err` from operation `op` on the database `file`. StudioErrors pass through
 * unchanged, so wrapping twice is harmless.
 */
export function storeError(op: string, file: string, err: unknown): StudioError {
  if (err instanceof StudioError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const code = sqliteCode(err) ?? '';
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
  if (code.startsWith('SQLITE_FULL')) {
    return new StudioError('STORE', `The disk holding ${file} is full (${op}). Free some space and retry.`, file);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new StudioError('STORE', `The history database at ${file} cannot be written (${op}): ${raw}. Check the folder's permissions.`, file);
  }
  return new StudioError('STORE', `History database error during ${op} (${file}): ${raw}`, file);
}
