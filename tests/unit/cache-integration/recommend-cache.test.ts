/**
 * `--cache auto`: the choice from matched-calls reports, and the matched benchmark's settings,
 * without a model (reports and profiles are synthetic).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { planSchedule, validateCacheConfig } from '../../../core/cache';
import { foraIntervalFor, matchedSettings } from '../../../main/cache/bench/matched-settings';
import type { MatchedBenchReport, MatchedRun } from '../../../main/cache/bench/run-matched-bench';
import { loadMatchedReports, recommendCache, type LoadedReport } from '../../../main/cache/recommend-cache';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { keyFor, randomRuns, recordRuns } from '../cache/synthetic-trajectories';

afterAll(() => cleanupTempDirs());

const run = (point: number, family: MatchedRun['family'], input: Record<string, unknown>, psnr: number, variant: string | null = null): MatchedRun => {
  const params = validateCacheConfig(input);
  return { method: params.method, params, variant, knob: null, nfe: point, speedup: 50 / point, psnr, ssim: 0.9, model_ms: 1, denoise_ms: 1, total_ms: 1, overhead_pct: 1, predicted: null, point, family, steps: family === 'baseline' ? point : 50, fallbacks: 0, top5: null, frechet: null };
};

function report(runs: MatchedRun[], over: Partial<MatchedBenchReport> = {}): MatchedBenchReport {
  return { kind: 'matched-calls', tuned: false, model: 'emoji', modelHash: 'h1', scheduler: 'FlowMatchEulerDiscreteScheduler', steps: 50, cfg: 5, runs, ...over } as MatchedBenchReport;
}

const target = { modelHash: 'h1', scheduler: 'FlowMatchEulerDiscreteScheduler', steps: 50, cfg: 5 };
const table: LoadedReport[] = [
  {
    file: 'a.json',
    report: report([
      run(13, 'baseline', { method: 'none' }, 30),
      run(13, 'reuse', { method: 'fora', interval: 4 }, 31),
      run(13, 'forecast', { method: 'linear', calls: 13 }, 35),
      run(13, 'forecast', { method: 'linear', calls: 13, history: 1 }, 36, 'history 1'),
      run(10, 'baseline', { method: 'none' }, 28),
      run(10, 'reuse', { method: 'fora', interval: 5 }, 27),
      run(10, 'forecast', { method: 'ertacache-forecast', calls: 10 }, 29),
      run(6, 'baseline', { method: 'none' }, 20),
      run(6, 'forecast', { method: 'ertacache-forecast', calls: 6 }, 19),
    ]),
  },
  { file: 'other-model.json', report: report([run(13, 'baseline', { method: 'none' }, 10), run(13, 'reuse', { method: 'fora', interval: 4 }, 60)], { modelHash: 'h2' }) },
];

describe('recommendCache', () => {
  it('picks the best default setting at the largest measured budget ≤ N that beats the fewer-steps baseline, for this model only', () => {
    const at13 = recommendCache(table, target, 13);
    expect(at13.config).toMatchObject({ method: 'linear', calls: 13 });
    expect(at13).toMatchObject({ calls: 13, psnr: 35, baselinePsnr: 30, source: 'a.json' });
    expect(recommendCache(table, target, 12).config).toMatchObject({ method: 'ertacache-forecast', calls: 10 });
  });

  it('offers nothing where no method beats plain sampling with as many steps', () => {
    expect(() => recommendCache(table, target, 7)).toThrow(StudioError);
    expect(() => recommendCache(table, target, 7)).toThrow('No caching method measured at 6 model calls beats plain sampling with 6 steps (20.00 dB); use --steps 6 without a cache.');
  });

  it('refuses a run no report measured, and a budget not below the steps', () => {
    expect(() => recommendCache(table, { ...target, cfg: 4 }, 13)).toThrow(/No cache benchmark is recorded for this model at 50 steps, CFG 4/);
    // The app's wording names no command or flag.
    expect(() => recommendCache(table, { ...target, cfg: 4 }, 13, 'app')).toThrow(/; recommendations come only from runs measured at matched model calls$/);
    expect(() => recommendCache(table, target, 7, 'app')).toThrow('No caching method measured at 6 model calls beats plain sampling with 6 steps (20.00 dB); set Steps to 6 and turn the cache off instead.');
    expect(() => recommendCache(table, { ...target, steps: 20 }, 13)).toThrow(/at 20 steps/);
    expect(() => recommendCache(table, target, 50)).toThrow('--cache-calls 50 is not below the 50 steps; run without a cache.');
    expect(() => recommendCache(table, target, 5)).toThrow('The cache benchmarks for this model measure no budget of 5 model calls or fewer.');
  });

  it('reads only untuned matched-calls reports from its folders', () => {
    const dir = tempDir('recommend-');
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(report([])));
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(report([], { tuned: true })));
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ kind: 'sweep' }));
    fs.writeFileSync(path.join(dir, 'd.json'), '{ not json');
    expect(loadMatchedReports([dir, path.join(dir, 'missing')]).map((r) => path.basename(r.file))).toEqual(['a.json']);
  });
});

describe('matchedSettings', () => {
  const steps = 20;
  const profile = recordRuns(randomRuns(3, steps, 16), 5, [4, 2, 2]);
  const calibration = { profile, key: keyFor(steps, 5) };

  it('holds every setting to the budget: baseline with C steps, reuse and forecast at ≤ C planned calls', () => {
    const settings = matchedSettings(calibration, { steps, points: [10, 5, 20], tune: false, timeAdjustment: true });
    expect([...new Set(settings.map((s) => s.point))]).toEqual([10, 5]);
    for (const s of settings) {
      if (s.config === undefined) {
        expect(s).toMatchObject({ family: 'baseline', steps: s.point });
        continue;
      }
      expect(planSchedule(s.config, steps, calibration).modelCalls).toBeLessThanOrEqual(s.point);
    }
    expect(settings.filter((s) => s.point === 10).map((s) => s.config?.method ?? 'baseline')).toEqual(['baseline', 'fora', 'ertacache', 'taylorseer', 'taylorseer', 'linear', 'ertacache-forecast']);
    expect(foraIntervalFor(50, 13)).toBe(4);
    expect(foraIntervalFor(50, 6)).toBe(9);
  });

  it('adds tuning variants only when asked', () => {
    const tuned = matchedSettings(calibration, { steps, points: [10], tune: true, timeAdjustment: false });
    const plain = matchedSettings(calibration, { steps, points: [10], tune: false, timeAdjustment: false });
    expect(plain.every((s) => s.variant === null)).toBe(true);
    expect(tuned.filter((s) => s.variant !== null).length).toBeGreaterThan(0);
    expect(tuned.filter((s) => s.variant !== null).every((s) => s.family === 'forecast' && s.config !== undefined)).toBe(true);
    expect(tuned.every((s) => s.config === undefined || !('timeAdjustment' in s.config) || s.config.timeAdjustment === false)).toBe(true);
  });
});
