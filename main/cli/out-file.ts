/**
 * `--out` never overwrites a file the user did not ask to replace: an existing file is refused
 * unless `--force` is given. Checked before the work starts (so a long run is not wasted on a
 * refusal) and again when writing (the file may have appeared meanwhile).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './cli-options';

/** The parseArgs option that allows replacing an existing --out file. */
export const FORCE_OPTION = { force: { type: 'boolean' } } as const;

/** Where `--out out` writes a file generated as `generatedName`: into `out` when it is a folder. */
export function outTarget(out: string, generatedName: string): string {
  const target = path.resolve(out);
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, generatedName) : target;
}

/**
 * @param target the file --out will write (after outTarget)
 * @throws UsageError when `target` exists and `force` is not set
 */
export function refuseOverwrite(target: string, force: boolean): void {
  if (force || !fs.existsSync(target) || fs.statSync(target).isDirectory()) return;
  throw new UsageError(`--out ${target} already exists; pass --force to replace it, or choose another name`);
}
