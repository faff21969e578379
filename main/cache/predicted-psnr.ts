/**
 * The PSNR a cache setting can be expected to reach against the uncached image, read from the
 * matched-calls benchmarks of the same model (recommend-cache.ts loads them): for the method at
 * the plan's number of model calls, interpolated linearly between the measured budgets.
 *
 * A benchmark of the same model hash, steps and scheduler counts; one at the run's own CFG is
 * preferred, else the nearest CFG (the answer then names the CFG it was measured at). Where the
 * plan makes fewer calls than the smallest budget measured, the PSNR there is an upper bound
 * ('at-most'); more calls than the largest, a lower bound ('at-least').
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CacheConfig, PredictedPsnr } from '../../contract/cache';
import { findAppRoot } from '../models/app-root';
import { loadMatchedReports, type LoadedReport, type RunTarget } from './recommend-cache';

/** Where matched-calls reports live: the studio's own (docs/bench) and the user's (STUDIO_HOME/bench), as for `--cache auto`. */
export function matchedReportDirs(studioHome: string): string[] {
  const own = path.join(studioHome, 'bench');
  try {
    return [path.join(findAppRoot(), 'docs', 'bench'), own];
  } catch {
    // An install without its source folder (a packaged app's resources) has only the user's.
    return [own];
  }
}

let loaded: { stamp: string; reports: LoadedReport[] } | undefined;

/** loadMatchedReports, re-read only when a .json file in the folders changes (cache.plan runs on every slider move). */
export function loadMatchedReportsCached(dirs: readonly string[]): LoadedReport[] {
  const stamp = dirs
    .flatMap((dir) => {
      try {
        return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
          const st = fs.statSync(path.join(dir, f));
          return `${dir}/${f}:${st.size}:${st.mtimeMs}`;
        });
      } catch {
        return [];
      }
    })
    .join('|');
  if (loaded?.stamp !== stamp) loaded = { stamp, reports: loadMatchedReports(dirs) };
  return loaded.reports;
}

/** Mean PSNR per measured budget of `method`, ascending by budget. */
function curve(reports: readonly LoadedReport[], method: string): { calls: number; psnr: number }[] {
  const byPoint = new Map<number, number[]>();
  for (const { report } of reports) {
    for (const run of report.runs) {
      if (run.variant !== null || (run.family !== 'reuse' && run.family !== 'forecast') || run.params.method !== method) continue;
      byPoint.set(run.point, [...(byPoint.get(run.point) ?? []), run.psnr]);
    }
  }
  return [...byPoint.entries()]
    .map(([calls, values]) => ({ calls, psnr: values.reduce((a, b) => a + b, 0) / values.length }))
    .sort((a, b) => a.calls - b.calls);
}

/** @param calls the plan's model calls (a mean for the approximate methods) */
export function predictedPsnr(reports: readonly LoadedReport[], run: RunTarget, config: CacheConfig, calls: number): PredictedPsnr | null {
  if (config.method === 'none') return null;
  const sameRun = reports.filter(({ report: r }) => r.modelHash === run.modelHash && r.steps === run.steps && r.scheduler === run.scheduler);
  const cfgs = [...new Set(sameRun.map(({ report }) => report.cfg))].sort((a, b) => Math.abs(a - run.cfg) - Math.abs(b - run.cfg) || a - b);
  for (const cfg of cfgs) {
    const points = curve(sameRun.filter(({ report }) => report.cfg === cfg), config.method);
    const first = points[0];
    const last = points[points.length - 1];
    if (first === undefined || last === undefined) continue;
    if (calls < first.calls) return { db: first.psnr, bound: 'at-most', calls: first.calls, cfg };
    if (calls > last.calls) return { db: last.psnr, bound: 'at-least', calls: last.calls, cfg };
    const upper = points.findIndex((p) => p.calls >= calls);
    const hi = points[upper] as { calls: number; psnr: number };
    const lo = points[Math.max(0, upper - 1)] as { calls: number; psnr: number };
    const t = hi.calls === lo.calls ? 0 : (calls - lo.calls) / (hi.calls - lo.calls);
    return { db: lo.psnr + t * (hi.psnr - lo.psnr), bound: 'interpolated', calls, cfg };
  }
  return null;
}
