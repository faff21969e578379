/**
 * Writes an export so that the target either gets the whole file or stays as it was: the
 * bytes go to a hidden temp file in the target's folder (same file system, so the final
 * rename is atomic), which is renamed over the target on success and deleted on failure or
 * cancel. An existing target is refused unless `replace` is set; a folder that does not
 * exist or cannot be written is a clear error before any encoding starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';

export interface AtomicWriteOptions {
  /** Replace an existing file at the target. */
  replace: boolean;
  /** Aborting deletes the temp file and rejects with CANCELLED. */
  signal?: AbortSignal;
}

/** Checks that `target` may be written, without writing it. @throws StudioError INVALID_REQUEST */
export function checkTarget(target: string, replace: boolean): void {
  const dir = path.dirname(target);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new StudioError('INVALID_REQUEST', `${target} is a folder; give a file name.`, target);
  if (stat && !replace) throw new StudioError('INVALID_REQUEST', `${target} already exists; pass --force to replace it, or choose another name.`, target);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new StudioError('INVALID_REQUEST', `Cannot write to ${dir}: the folder does not exist or is not writable.`, target);
  }
}

/**
 * Runs `write(tempPath)`, which must create the temp file, then renames it to `target`.
 * @throws StudioError CANCELLED when `signal` aborts; whatever `write` throws, after the temp file is removed
 */
export async function writeAtomically(target: string, options: AtomicWriteOptions, write: (tempPath: string) => Promise<void>): Promise<void> {
  checkTarget(target, options.replace);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.part`);
  try {
    options.signal?.throwIfAborted();
    await write(temp);
    if (options.signal?.aborted) throw options.signal.reason;
    if (!options.replace && fs.existsSync(target)) {
      throw new StudioError('INVALID_REQUEST', `${target} appeared while exporting; pass --force to replace it.`, target);
    }
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    if (options.signal?.aborted) throw new StudioError('CANCELLED', 'Export cancelled; nothing was written.');
    throw err;
  }
}
