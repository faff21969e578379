/**
 * Where a generated PNG goes and how it gets there without ever leaving half a file.
 *
 * Path: <outputs>/<YYYY-MM-DD>/<YYYYMMDD-HHMMSS-mmm>-<seed>.png, in UTC, so folders sort by
 * day and names by time. A name already taken (same millisecond and seed) gets -1, -2, ...
 *
 * Writing: the bytes go to a hidden temp file in the same folder, are fsynced, and only
 * then renamed into place (rename within a folder is atomic), so a crash or a cancel
 * leaves either no file or the whole file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Absolute path for a file made at `when` with `seed` (extension without the dot), not yet existing. */
export function outputPathFor(outputsDir: string, when: Date, seed: number, extension = 'png'): string {
  const day = `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1)}-${pad(when.getUTCDate())}`;
  const stamp =
    `${when.getUTCFullYear()}${pad(when.getUTCMonth() + 1)}${pad(when.getUTCDate())}-` +
    `${pad(when.getUTCHours())}${pad(when.getUTCMinutes())}${pad(when.getUTCSeconds())}-${pad(when.getUTCMilliseconds(), 3)}`;
  const dir = path.join(path.resolve(outputsDir), day);
  let file = path.join(dir, `${stamp}-${seed}.${extension}`);
  for (let n = 1; fs.existsSync(file); n++) file = path.join(dir, `${stamp}-${seed}-${n}.${extension}`);
  return file;
}

/** A written-but-not-yet-published file: commit() renames it into place, discard() deletes it. */
export interface StagedFile {
  readonly finalPath: string;
  readonly tempPath: string;
  commit(): void;
  discard(): void;
}

/** Writes `bytes` to a temp file beside `finalPath` (creating the folder) and fsyncs it. */
export function stageFile(finalPath: string, bytes: Uint8Array): StagedFile {
  const dir = path.dirname(finalPath);
  fs.mkdirSync(dir, { recursive: true });
  const tempPath = path.join(dir, `.${path.basename(finalPath)}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tempPath, 'wx');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tempPath, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return {
    finalPath,
    tempPath,
    commit: () => fs.renameSync(tempPath, finalPath),
    discard: () => fs.rmSync(tempPath, { force: true }),
  };
}

/** Copies a file to `dest` through the same temp-and-rename path (for the CLI's --out). */
export function copyFileAtomic(src: string, dest: string): void {
  const staged = stageFile(path.resolve(dest), fs.readFileSync(src));
  try {
    staged.commit();
  } catch (err) {
    staged.discard();
    throw err;
  }
}

/**
 * Writes `bytes` to `file` through a staged temp file (reports, plots), so a failed write leaves
 * no partial file.
 * @throws StudioError INTERNAL naming the file
 */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const staged = stageFile(file, bytes);
  try {
    staged.commit();
  } catch (err) {
    staged.discard();
    throw new StudioError('INTERNAL', `Could not write ${file}: ${err instanceof Error ? err.message : String(err)}`, file);
  }
}
