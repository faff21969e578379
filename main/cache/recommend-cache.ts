/**
 * `--cache auto --cache-calls N`: the cache setting with the best measured PSNR at a budget of N
 * model calls, for this model, step count, CFG scale and scheduler.
 *
 * Where the table comes from: every matched-calls benchmark report (`studio bench cache
 * --matched-calls …`, kind "matched-calls") that no tuning used (`tuned: false`), read from
 *   - <appRoot>/docs/bench/, the reports committed with the studio (measured on prompts that no
 *     tuning or fitting used, docs/bench/README.md), and
 *   - STUDIO_HOME/bench/, where `studio bench cache --matched-calls` keeps a copy of each report it
 *     writes without --tune (a user's own measurements, e.g. for their own model).
 * Only reports whose model hash, steps, CFG scale and scheduler equal the run's count. At the
 * largest measured budget ≤ N, a method's default setting is offered only when its PSNR beats
 * plain sampling with as many steps as calls in the same report; the best such one is chosen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CacheConfig } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { validateCacheConfig } from '../../core/cache';
import type { MatchedBenchReport } from './bench/run-matched-bench';

export interface RunTarget {
  modelHash: string;
  /** The scheduler's diffusers class name. */
  scheduler: string;
  steps: number;
  cfg: number;
}

export interface CacheRecommendation {
  config: CacheConfig;
  /** The budget the measurement was made at (≤ the calls asked for). */
  calls: number;
  psnr: number;
  /** Plain sampling with `calls` steps, same report. */
  baselinePsnr: number;
  speedup: number;
  /** The report file it was read from. */
  source: string;
}

export interface LoadedReport {
  file: string;
  report: MatchedBenchReport;
}

/** Matched-calls reports without tuning in `dirs` (missing folders and unreadable files are skipped: they are not tables). */
export function loadMatchedReports(dirs: readonly string[]): LoadedReport[] {
  const out: LoadedReport[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const file = path.join(dir, name);
      try {
        const report = JSON.parse(fs.readFileSync(file, 'utf8')) as MatchedBenchReport;
        if (report.kind === 'matched-calls' && report.tuned === false && Array.isArray(report.runs)) out.push({ file, report });
      } catch {
        // Not a report (another JSON file in the folder).
      }
    }
  }
  return out;
}

/** Who reads why nothing is recommended: the CLI's advice names flags and commands, the app's its own controls. */
export type AdviceFor = 'cli' | 'app';

/** @throws StudioError INVALID_REQUEST (field 'cache') when nothing is measured for the run, or no method beats the fewer-steps baseline at the budget */
export function recommendCache(reports: readonly LoadedReport[], run: RunTarget, calls: number, adviceFor: AdviceFor = 'cli'): CacheRecommendation {
  if (calls >= run.steps) throw new StudioError('INVALID_REQUEST', `--cache-calls ${calls} is not below the ${run.steps} steps; run without a cache.`, 'cache');
  const matching = reports.filter(({ report: r }) => r.modelHash === run.modelHash && r.steps === run.steps && r.cfg === run.cfg && r.scheduler === run.scheduler);
  if (matching.length === 0) {
    const advice =
      adviceFor === 'cli'
        ? `measure one with: studio bench cache --steps ${run.steps} --cfg ${run.cfg} --matched-calls ${calls} --json FILE`
        : 'recommendations come only from runs measured at matched model calls';
    throw new StudioError('INVALID_REQUEST', `No cache benchmark is recorded for this model at ${run.steps} steps, CFG ${run.cfg}, ${run.scheduler}; ${advice}`, 'cache');
  }
  const candidates: CacheRecommendation[] = [];
  let bestBaseline: { calls: number; psnr: number } | undefined;
  for (const { file, report } of matching) {
    const point = Math.max(...report.runs.filter((r) => r.family === 'baseline' && r.point <= calls).map((r) => r.point));
    const baseline = report.runs.find((r) => r.family === 'baseline' && r.point === point);
    if (baseline === undefined) continue;
    if (bestBaseline === undefined || point > bestBaseline.calls) bestBaseline = { calls: point, psnr: baseline.psnr };
    for (const r of report.runs) {
      if (r.point !== point || r.variant !== null || (r.family !== 'reuse' && r.family !== 'forecast') || !(r.psnr > baseline.psnr)) continue;
      candidates.push({ config: validateCacheConfig(r.params), calls: point, psnr: r.psnr, baselinePsnr: baseline.psnr, speedup: r.speedup, source: file });
    }
  }
  if (bestBaseline === undefined) throw new StudioError('INVALID_REQUEST', `The cache benchmarks for this model measure no budget of ${calls} model calls or fewer.`, 'cache');
  const best = candidates.sort((a, b) => b.calls - a.calls || b.psnr - a.psnr)[0];
  if (best === undefined) {
    const advice = adviceFor === 'cli' ? `use --steps ${bestBaseline.calls} without a cache` : `set Steps to ${bestBaseline.calls} and turn the cache off instead`;
    throw new StudioError('INVALID_REQUEST', `No caching method measured at ${bestBaseline.calls} model calls beats plain sampling with ${bestBaseline.calls} steps (${bestBaseline.psnr.toFixed(2)} dB); ${advice}.`, 'cache');
  }
  return best;
}
