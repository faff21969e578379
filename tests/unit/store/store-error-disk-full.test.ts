/**
 * A full disk reaches SQLite as SQLITE_FULL or, as often, as SQLITE_IOERR_WRITE ("disk I/O
 * error"); the file system's own writes fail with ENOSPC. Each must read "the disk is full",
 * which a real full disk cannot be made here, so the mapping is tested with the errors
 * better-sqlite3 and node:fs throw.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskFreeBytes, DISK_FULL_BELOW_BYTES, storeError } from '../../../main/store/store-error';

const FILE = '/data/studio/studio.db';

/** What better-sqlite3 throws: a SqliteError with SQLite's extended code. */
function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

const noSpace = (): number => 4096;
const plentyOfSpace = (): number => 50 * 1024 ** 3;

describe('storeError: a full disk says so', () => {
  it.each([
    ['SQLITE_FULL', 'database or disk is full', plentyOfSpace],
    ['SQLITE_IOERR_WRITE', 'disk I/O error', noSpace],
    ['SQLITE_IOERR_FSYNC', 'disk I/O error', noSpace],
    ['SQLITE_IOERR_SHMSIZE', 'disk I/O error', noSpace],
    ['ENOSPC', 'ENOSPC: no space left on device, write', plentyOfSpace],
  ])('%s (%s) → "The disk holding … is full"', (code, message, free) => {
    const err = storeError('saving a generation', FILE, sqliteError(code, message), free);
    expect(err.code).toBe('STORE');
    expect(err.message).toBe(`The disk holding ${FILE} is full (saving a generation). Free some space and retry; nothing saved before was lost.`);
    expect(err.message).not.toContain('disk I/O error');
  });

  it('an I/O error with space left is an I/O error, named with its code, not "full"', () => {
    const err = storeError('listing history', FILE, sqliteError('SQLITE_IOERR_READ', 'disk I/O error'), plentyOfSpace);
    expect(err.message).toBe(`The history database at ${FILE} could not be read or written (listing history): disk I/O error (SQLITE_IOERR_READ). Check the disk, then retry.`);
  });

  it('the free space is asked of the folder holding the database', () => {
    const asked: string[] = [];
    storeError('x', FILE, sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error'), (dir) => {
      asked.push(dir);
      return 0;
    });
    expect(asked).toEqual([path.dirname(FILE)]);
  });

  it('the other codes keep their sentences', () => {
    expect(storeError('x', FILE, sqliteError('SQLITE_BUSY', 'database is locked'), noSpace).message).toMatch(/locked by another process/);
    expect(storeError('x', FILE, sqliteError('SQLITE_CORRUPT', 'database disk image is malformed'), noSpace).message).toMatch(/is corrupt/);
  });

  it('diskFreeBytes reads the real file system', () => {
    expect(diskFreeBytes(process.cwd())).toBeGreaterThan(DISK_FULL_BELOW_BYTES);
    expect(diskFreeBytes('/no/such/folder/at/all')).toBeUndefined();
  });
});
