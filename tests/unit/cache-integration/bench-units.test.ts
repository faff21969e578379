/**
 * The benchmark's parts without a model: prompt lists, the threshold sweep against the plans it
 * targets, and the report arithmetic and summary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { planSchedule } from '../../../core/cache';
import { checkDisjoint, DEFAULT_BENCHMARK_PROMPTS, DEFAULT_CALIBRATION_PROMPTS } from '../../../main/cache/bench/bench-prompts';
import { benchRuns, benchSummary, formatBenchTable, PSNR_CAP_DB, type BenchRun, type BenchSample } from '../../../main/cache/bench/bench-report';
import { ertaAblationConfigs, foraBudgetTargets, speedupTargets, sweepConfigs } from '../../../main/cache/bench/bench-sweep';
import { CACHE_KNOBS, knobValue } from '../../../main/cache/cache-knobs';
import { keyFor, randomRuns, recordRuns } from '../cache/synthetic-trajectories';

describe('bench prompts', () => {
  test('the built-in lists: 16 calibration and 32 benchmark captions, disjoint, and both disjoint from the development and validation sets', () => {
    expect(DEFAULT_CALIBRATION_PROMPTS).toHaveLength(16);
    expect(DEFAULT_BENCHMARK_PROMPTS).toHaveLength(32);
    expect(new Set(DEFAULT_BENCHMARK_PROMPTS).size).toBe(32);
    expect(() => checkDisjoint(DEFAULT_CALIBRATION_PROMPTS, DEFAULT_BENCHMARK_PROMPTS)).not.toThrow();
    for (const file of ['prompts-dev.txt', 'prompts-validation.txt']) {
      const other = fs.readFileSync(path.join(__dirname, '../../../docs/bench', file), 'utf8').split('\n').filter((l) => l.trim() !== '');
      expect(other).toHaveLength(32);
      expect(() => checkDisjoint([...DEFAULT_CALIBRATION_PROMPTS, ...DEFAULT_BENCHMARK_PROMPTS], other)).not.toThrow();
    }
  });

  test('an overlap is found regardless of case and spacing', () => {
    expect(() => checkDisjoint(['A  red apple'], ['a cat', ' a red APPLE '])).toThrow(StudioError);
    expect(() => checkDisjoint(['A  red apple'], ['a cat'])).not.toThrow();
  });
});

describe('bench sweep', () => {
  const steps = 20;
  const profile = recordRuns(randomRuns(4, steps, 16), 5, [4, 2, 2]);
  const calibration = { profile, key: keyFor(steps, 5) };

  test('targets are geometric from 1.3 to 3, plus FORA budgets', () => {
    expect(speedupTargets(3).map((t) => Number(t.toFixed(4)))).toEqual([1.3, Number(Math.sqrt(1.3 * 3).toFixed(4)), 3]);
    expect(speedupTargets(1)[0]).toBeCloseTo(Math.sqrt(3.9), 12);
    // FORA 2/3/4 over 50 steps compute 25, 17 and 13 steps.
    expect(foraBudgetTargets(50)).toEqual([2, 50 / 17, 50 / 13]);
    expect(foraBudgetTargets(3)).toEqual([1.5, 3]);
  });

  test('FORA 2/3/4, then per adaptive method knob values whose plans reach the targets', () => {
    const configs = sweepConfigs(calibration, { steps, perMethod: 3, timeAdjustment: false });
    expect(configs.slice(0, 3)).toEqual([{ method: 'fora', interval: 2 }, { method: 'fora', interval: 3 }, { method: 'fora', interval: 4 }]);
    for (const method of ['teacache', 'magcache', 'easycache', 'ertacache'] as const) {
      const mine = configs.filter((c) => c.method === method);
      expect(mine.length, method).toBeGreaterThan(0);
      expect(mine.length, method).toBeLessThanOrEqual(6);
      const knobs = mine.map((c) => knobValue(c) as number);
      expect([...knobs].sort((a, b) => a - b), method).toEqual(knobs);
      // Each value is the smallest reaching some target, unless the method's range ends first.
      const speedups = mine.map((c) => planSchedule(c, steps, calibration).predictedSpeedup);
      for (const [i, s] of speedups.entries()) {
        const reached = [...speedupTargets(3), ...foraBudgetTargets(steps)].some((t) => s >= t - 1e-9);
        expect(reached || knobs[i] === CACHE_KNOBS[method].max, `${method} ${knobs[i]} → ${s}`).toBe(true);
      }
    }
    expect(configs.filter((c) => c.method === 'ertacache').every((c) => c.method === 'ertacache' && !c.timeAdjustment)).toBe(true);
  });

  test('ablation: per ERTACache λ, every other combination of (b) and (c) on top of (a)', () => {
    const erta = { method: 'ertacache', lambda: 0.2, timeAdjustment: false, rectification: 'channel', phiReference: 'velocity', signal: 'guided', reuseSet: 'placed' } as const;
    const rows = ertaAblationConfigs([{ method: 'fora', interval: 2 }, erta], true, true);
    expect(rows.map((r) => [r.variant, r.config])).toEqual([
      ['reuse set only', { ...erta, rectification: 'off' }],
      ['+ time adjustment', { ...erta, timeAdjustment: true, rectification: 'off' }],
      ['+ time adjustment + rectification', { ...erta, timeAdjustment: true }],
      ['per-branch signal', { ...erta, signal: 'branches' }],
      ['greedy reuse set', { ...erta, reuseSet: 'greedy' }],
    ]);
    // Without an Euler-type scheduler there is no time adjustment to ablate, without CFG no branches.
    expect(ertaAblationConfigs([erta], false, false).map((r) => r.variant)).toEqual(['reuse set only', 'greedy reuse set']);
    // A profile with a measured reuse cost adds the same calls placed by it, with all parts and alone.
    expect(ertaAblationConfigs([erta], false, false, true).slice(2).map((r) => [r.variant, r.config])).toEqual([
      ['measured placement', { ...erta, reuseSet: 'measured' }],
      ['measured placement, reuse set only', { ...erta, reuseSet: 'measured', timeAdjustment: false, rectification: 'off' }],
    ]);
  });
});

describe('bench report', () => {
  const image = (v: number): Uint8Array => new Uint8Array(16 * 16 * 3).fill(v);
  const sample = (rgb: Uint8Array, denoiseMs: number, modelMs: number, modelCalls: number): BenchSample => ({ rgb, denoiseMs, modelMs, totalMs: denoiseMs + 5, modelCalls });

  test('speedup is the ratio of median denoise times; quality is against the same prompt’s reference', () => {
    const reference = [sample(image(100), 100, 90, 10), sample(image(50), 120, 100, 10), sample(image(70), 80, 70, 10)];
    const fora = [sample(image(100), 50, 45, 5), sample(image(52), 40, 36, 5), sample(image(70), 60, 50, 5)];
    const [ref, run] = benchRuns([{ config: { method: 'fora', interval: 2 }, predicted: { nfe: 5, speedup: 2 } }], [fora], reference, { width: 16, height: 16 }) as [BenchRun, BenchRun];
    expect(ref).toMatchObject({ method: 'none', knob: null, nfe: 10, speedup: 1, psnr: PSNR_CAP_DB, ssim: 1, model_ms: 90, denoise_ms: 100, total_ms: 105 });
    expect(run.speedup).toBe(100 / 50);
    expect(run.nfe).toBe(5);
    expect(run.knob).toBe(2);
    // Two identical images (capped) and one off by 2 levels: 20·log10(255/2).
    expect(run.psnr).toBeCloseTo((2 * PSNR_CAP_DB + 20 * Math.log10(255 / 2)) / 3, 9);
    expect(run.overhead_pct).toBeCloseTo((5 / 45) * 100, 9);
    expect(formatBenchTable([ref, run]).split('\n')[1]).toMatch(/^none +- +10\.0 +1\.00x +identical +1\.0000 +90\.0 +105\.0 +14\.3%$/);
  });

  test('summary: best PSNR per method within each FORA budget, and the Pareto front', () => {
    const r = (method: BenchRun['method'], nfe: number, speedup: number, psnr: number, variant: string | null = null): BenchRun =>
      ({ method, params: { method } as BenchRun['params'], variant, knob: 1, nfe, speedup, psnr, ssim: 0.9, model_ms: 1, denoise_ms: 1, total_ms: 1, overhead_pct: 1, predicted: null });
    // The ablation row would win both summaries; it is left out of them.
    const runs = [r('none', 20, 1, 100), r('fora', 10, 1.9, 30), r('fora', 7, 2.7, 25), r('teacache', 10.5, 1.8, 33), r('teacache', 6, 3, 28), r('magcache', 15, 1.3, 40), r('teacache', 6, 9, 90, 'ablated')];
    const s = benchSummary(runs);
    expect(s.matchedNfe.map((m) => m.nfe)).toEqual([10, 7]);
    expect(s.matchedNfe[0]?.best['teacache']?.psnr).toBe(33);
    expect(s.matchedNfe[1]?.best['teacache']?.psnr).toBe(28);
    expect(s.matchedNfe[0]?.best['magcache']).toBeNull();
    expect(s.pareto.map((p) => `${p.method}@${p.speedup}`)).toEqual(['magcache@1.3', 'teacache@1.8', 'fora@1.9', 'teacache@3']);
  });
});
