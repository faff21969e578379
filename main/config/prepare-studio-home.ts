/**
 * Creates STUDIO_HOME's folders, turning the ways that fails into one sentence with the path.
 *
 * Why: `mkdir` errors (ENOTDIR when STUDIO_HOME or a folder above it is a file, EACCES/EROFS
 * under a read-only parent, ENOSPC) reached users as INTERNAL errors with a stack trace. Here
 * each becomes a STORE error that names the folder and what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import type { StudioPaths } from './studio-home';

/** The first existing ancestor of `dir` that is not a folder, if any (ENOTDIR names no path). */
function fileInTheWay(dir: string): string | undefined {
  for (let p = dir; ; p = path.dirname(p)) {
    try {
      return fs.statSync(p).isDirectory() ? undefined : p;
    } catch {
      if (path.dirname(p) === p) return undefined;
    }
  }
}

/** The StudioError for a failed `mkdir -p dir` under STUDIO_HOME `home`. */
export function studioHomeError(home: string, dir: string, err: unknown): StudioError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const fix = 'Set STUDIO_HOME to a folder you can write, or fix this one.';
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = fileInTheWay(dir) ?? dir;
      const what = file === home ? `STUDIO_HOME (${home}) is a file, not a folder.` : `${file} is a file, so ${dir} cannot be created in it.`;
      return new StudioError('STORE', `The studio's data folder cannot be used: ${what} ${fix}`, file);
    }
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StudioError('STORE', `The studio's data folder cannot be created or written: permission denied for ${dir} (${code}). ${fix}`, dir);
    case 'ENOSPC':
    case 'EDQUOT':
      return new StudioError('STORE', `The disk holding ${dir} is full. Free some space and retry.`, dir);
    default:
      return new StudioError('STORE', `The studio's data folder ${dir} cannot be created: ${err instanceof Error ? err.message : String(err)}. ${fix}`, dir);
  }
}

/**
 * Creates STUDIO_HOME and the folders named in `which` (default: home, models, outputs) and
 * checks the home folder is writable.
 * @throws StudioError STORE naming the path
 */
export function prepareStudioHome(paths: StudioPaths, which: readonly ('home' | 'models' | 'outputs')[] = ['home', 'models', 'outputs']): void {
  for (const key of which) {
    const dir = paths[key];
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw studioHomeError(paths.home, dir, err);
    }
  }
  try {
    fs.accessSync(paths.home, fs.constants.W_OK);
  } catch (err) {
    throw studioHomeError(paths.home, paths.home, err);
  }
}
