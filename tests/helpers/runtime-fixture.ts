/**
 * Shared set-up for runtime, PNG and CLI tests: where the committed tiny pipeline lives,
 * throw-away copies of it to break on purpose, and empty STUDIO_HOME folders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BUNDLED_PIPELINES = path.join(REPO_ROOT, 'native-models', 'pipelines');
/** The untrained fixture pipeline: DiT in transformer/ with external data, 64×64 images, 4×8×8 latents. */
export const TINY_DIR = path.join(BUNDLED_PIPELINES, 'tiny');

const made: string[] = [];

/** A new empty temp folder, removed by cleanupTempDirs(). */
export function tempDir(prefix = 'studio-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A full copy of the tiny pipeline in a temp folder (to truncate, delete or edit files). */
export function copyTiny(name = 'tiny'): string {
  const dir = path.join(tempDir('studio-model-'), name);
  fs.cpSync(TINY_DIR, dir, { recursive: true });
  return dir;
}

/** Every file under `dir`, relative, including hidden ones (to spot leftover temp files). */
export function listFilesDeep(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
