/**
 * Cleans what a crash can leave in STUDIO_HOME/outputs, once at start.
 *
 * A generation stages its PNG as a hidden temp file, fsyncs it, renames it into place and then
 * inserts the history row (main/generation/output-file.ts, run-generation.ts). A kill can land:
 *   - before the rename: a `.<name>.<8 hex>.tmp` file is left. Nobody saw or saved it, so it
 *     is deleted.
 *   - between the rename and the row insert: a finished PNG with no history row (an "orphan").
 *     The image is whole and carries its recipe in its text chunk, so it is never deleted: it
 *     is moved to STUDIO_HOME/orphans/<day>/, out of the way of the gallery, where the user can
 *     open it or drop it on the studio to load its recipe.
 *
 * Only files older than `minAgeMs` are touched, so a generation that another studio process
 * (the CLI, a second window) is saving right now is left alone. A file counts as recorded when
 * some row's path ends in the same `<day>/<name>`, so a STUDIO_HOME that was moved or reached
 * through a symlink does not make every image look like an orphan. Deleted-but-undoable rows
 * still count as rows. Files of other shapes are never touched.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A staged temp file: `.` + final name + `.` + 8 hex characters + `.tmp` (output-file.ts). */
const TEMP_NAME = /^\..+\.[0-9a-f]{8}\.tmp$/;
/** What a generation publishes (outputPathFor): a PNG, or another media file named the same way. */
const OUTPUT_NAME = /^\d{8}-\d{6}-\d{3}-\d+(?:-\d+)?\.(?:png|webp|mp4|webm)$/;
const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

/** Older than this, a temp file or an unrecorded image is a leftover, not a save in progress. */
export const LEFTOVER_MIN_AGE_MS = 10 * 60_000;

export interface LeftoverReport {
  /** Temp files deleted. */
  removedTemp: string[];
  /** Images with no history row, and where each went. */
  movedOrphans: { from: string; to: string }[];
}

export interface LeftoverOptions {
  /** STUDIO_HOME/outputs. */
  outputs: string;
  /** Where orphans go: STUDIO_HOME/orphans. */
  orphans: string;
  /** Every path the history records (HistoryRepo.allOutputPaths); read once per sweep. */
  recordedPaths: () => Iterable<string>;
  now?: number;
  minAgeMs?: number;
}

/** `<day>/<name>` of a path: how a recorded file is recognised wherever STUDIO_HOME lives. */
function dayAndName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.slice(-2).join('/');
}

function isOld(file: string, cutoff: number): boolean {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() && stat.mtimeMs < cutoff;
  } catch {
    return false; // gone meanwhile: someone else dealt with it
  }
}

/** A free path for `name` in `dir` (name, name-1, name-2, ... before the extension). */
function freePath(dir: string, name: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let target = path.join(dir, name);
  for (let n = 1; fs.existsSync(target); n++) target = path.join(dir, `${stem}-${n}${ext}`);
  return target;
}

/**
 * Deletes stale temp files and moves unrecorded images out of `outputs`.
 * @throws fs errors reading `outputs` (the caller logs them; nothing has been changed then)
 */
export function sweepOutputLeftovers(opts: LeftoverOptions): LeftoverReport {
  const report: LeftoverReport = { removedTemp: [], movedOrphans: [] };
  if (!fs.existsSync(opts.outputs)) return report;
  const cutoff = (opts.now ?? Date.now()) - (opts.minAgeMs ?? LEFTOVER_MIN_AGE_MS);
  let recorded: Set<string> | undefined;
  const isRecorded = (file: string): boolean => {
    recorded ??= new Set([...opts.recordedPaths()].map(dayAndName));
    return recorded.has(dayAndName(file));
  };
  for (const day of fs.readdirSync(opts.outputs, { withFileTypes: true })) {
    if (!day.isDirectory() || !DAY_FOLDER.test(day.name)) continue;
    const dir = path.join(opts.outputs, day.name);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(dir, entry.name);
      if (TEMP_NAME.test(entry.name)) {
        if (!isOld(file, cutoff)) continue;
        fs.rmSync(file, { force: true });
        report.removedTemp.push(file);
      } else if (OUTPUT_NAME.test(entry.name) && !isRecorded(file) && isOld(file, cutoff)) {
        const targetDir = path.join(opts.orphans, day.name);
        fs.mkdirSync(targetDir, { recursive: true });
        const to = freePath(targetDir, entry.name);
        fs.renameSync(file, to);
        report.movedOrphans.push({ from: file, to });
      }
    }
  }
  return report;
}

/** One line per kind of leftover, for the log; empty when there was nothing to do. */
export function describeLeftovers(report: LeftoverReport, orphans: string): string[] {
  const lines: string[] = [];
  if (report.removedTemp.length > 0) lines.push(`removed ${report.removedTemp.length} unfinished image file(s) left by an interrupted save`);
  if (report.movedOrphans.length > 0) {
    lines.push(`moved ${report.movedOrphans.length} image(s) that were saved but never recorded in the history (the studio stopped in between) to ${orphans}`);
  }
  return lines;
}

/**
 * The start-up sweep of a studio process (browser mode, desktop app): logs what it did on
 * stderr and never stops the studio from starting (a broken store is reported by the calls
 * that need it).
 */
export function cleanOutputLeftovers(paths: { outputs: string; orphans: string }, recordedPaths: () => Iterable<string>): LeftoverReport | undefined {
  try {
    const report = sweepOutputLeftovers({ outputs: paths.outputs, orphans: paths.orphans, recordedPaths });
    for (const line of describeLeftovers(report, paths.orphans)) process.stderr.write(`studio: ${line}\n`);
    return report;
  } catch (err) {
    process.stderr.write(`studio: could not check ${paths.outputs} for files left by a crash: ${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
}
