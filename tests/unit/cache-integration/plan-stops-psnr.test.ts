/**
 * cache.plan's slider stops and predicted PSNR on the bundled emoji model: a real profile
 * recorded into a real SQLite file, the committed benchmark reports in docs/bench.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CacheConfig, CachePlanRequest } from '../../../contract/cache';
import { defaultCacheConfig } from '../../../core/cache';
import { withMainKnob } from '../../../core/cache/main-knob';
import { planCache } from '../../../main/cache/cache-plan';
import { matchedReportDirs, predictedPsnr } from '../../../main/cache/predicted-psnr';
import type { LoadedReport } from '../../../main/cache/recommend-cache';
import { runProfiling } from '../../../main/cache/run-profiling';
import { cleanupTempDirs, REPO_ROOT } from '../../helpers/runtime-fixture';
import { openFixture, type StudioFixture } from './integration-fixture';

const EMOJI_HASH = '0d072ad061822304bd02fa145e8ce809d621781129979ad218a90051df354e00';
let f: StudioFixture;
const benchDirs = [path.join(REPO_ROOT, 'docs', 'bench')];
const ctx = () => ({ registry: f.registry, db: f.db, pipelines: f.pipelines, benchDirs });
const request = (cache: CacheConfig): CachePlanRequest => ({ model: 'emoji', steps: 50, cfg: 4, scheduler: 'default', cache });

beforeAll(async () => {
  f = openFixture();
  await runProfiling({ model: 'emoji', steps: 50, cfg: 4, scheduler: 'default', prompts: ['red heart', 'grinning face'], provider: 'cpu', seed: 1000 }, ctx());
}, 120_000);
afterAll(async () => {
  await f.close();
  cleanupTempDirs();
});

describe('slider stops', () => {
  // Exact plans change at few λ/threshold values; TeaCache's replayed plan (a mean over the
  // calibration prompts) changes more often, but still not at every position.
  test.each([
    ['ertacache', 301 / 4],
    ['magcache', 301 / 4],
    ['teacache', 301],
  ] as const)('%s: every stop a different plan, and fewer than %d stops of 301 slider positions', async (method, most) => {
    const config = defaultCacheConfig(method) as CacheConfig;
    const started = performance.now();
    const first = await planCache(request(config), ctx());
    const sweepMs = performance.now() - started;
    console.log(`${method}: ${first.stops.length} stops of 301 positions, first plan with its sweep ${sweepMs.toFixed(0)} ms`);
    expect(first.plan).not.toBeNull();
    expect(first.stops[0]).toBe(0);
    expect(first.stops.length).toBeGreaterThan(1);
    expect(first.stops.length).toBeLessThan(most);
    expect([...first.stops].sort((a, b) => a - b)).toEqual(first.stops);
    const plans = await Promise.all(first.stops.map(async (v) => (await planCache(request(withMainKnob(config, v)), ctx())).plan?.computeShare.join()));
    for (let i = 1; i < plans.length; i++) expect(plans[i], `stop ${first.stops[i]}`).not.toBe(plans[i - 1]);
    // The next plan of the same setting reuses the sweep: the very same stops array, not a new sweep.
    const again = await planCache(request(withMainKnob(config, first.stops[1] as number)), ctx());
    expect(again.stops).toBe(first.stops);
  });

  test('without a plan (a method that needs a profile it lacks) there are no stops', async () => {
    const plan = await planCache({ ...request(defaultCacheConfig('magcache') as CacheConfig), steps: 40 }, ctx());
    expect(plan).toMatchObject({ plan: null, problemFix: 'profile', stops: [], predictedPsnr: null });
  });
});

describe('predicted PSNR', () => {
  test('emoji at CFG 4: read off the committed matched-calls benchmark at CFG 5, at the plan’s model calls', async () => {
    const plan = await planCache(request({ ...defaultCacheConfig('ertacache'), lambda: 0.14 } as CacheConfig), ctx());
    const calls = plan.plan?.modelCalls ?? 0;
    expect(plan.predictedPsnr).toMatchObject({ cfg: 5, calls: expect.any(Number) });
    expect(plan.predictedPsnr?.db).toBeGreaterThan(15);
    expect(plan.predictedPsnr?.db).toBeLessThan(60);
    if (plan.predictedPsnr?.bound === 'interpolated') expect(plan.predictedPsnr.calls).toBe(calls);
    expect((await planCache(request(defaultCacheConfig('ertacache') as CacheConfig), { ...ctx(), benchDirs: [] })).predictedPsnr).toBeNull();
  });

  test('the studio looks in docs/bench and STUDIO_HOME/bench', () => {
    expect(matchedReportDirs('/home/u/.config/ds')).toEqual([path.join(REPO_ROOT, 'docs', 'bench'), path.join('/home/u/.config/ds', 'bench')]);
  });

  const report = (cfg: number, points: [number, number][], method = 'ertacache'): LoadedReport => ({
    file: `r${cfg}.json`,
    report: {
      kind: 'matched-calls', tuned: false, modelHash: EMOJI_HASH, steps: 50, cfg, scheduler: 'FlowMatchEulerDiscreteScheduler',
      runs: points.map(([point, psnr]) => ({ point, psnr, family: 'reuse', variant: null, params: { method } })),
    } as unknown as LoadedReport['report'],
  });
  const run = { modelHash: EMOJI_HASH, steps: 50, cfg: 4, scheduler: 'FlowMatchEulerDiscreteScheduler' };
  const erta = defaultCacheConfig('ertacache') as CacheConfig;

  test('interpolates between budgets; beyond them it is a bound; the run’s own CFG wins over a nearer one', () => {
    const reports = [report(5, [[10, 30], [20, 40]]), report(7, [[10, 10], [20, 20]])];
    expect(predictedPsnr(reports, run, erta, 15)).toEqual({ db: 35, bound: 'interpolated', calls: 15, cfg: 5 });
    expect(predictedPsnr(reports, run, erta, 6)).toEqual({ db: 30, bound: 'at-most', calls: 10, cfg: 5 });
    expect(predictedPsnr(reports, run, erta, 30)).toEqual({ db: 40, bound: 'at-least', calls: 20, cfg: 5 });
    expect(predictedPsnr([...reports, report(4, [[10, 25], [20, 27]])], run, erta, 10)).toMatchObject({ db: 25, cfg: 4 });
  });

  test('another model, another method, or no cache: null', () => {
    const reports = [report(5, [[10, 30], [20, 40]])];
    expect(predictedPsnr(reports, { ...run, modelHash: 'f'.repeat(64) }, erta, 15)).toBeNull();
    expect(predictedPsnr(reports, run, defaultCacheConfig('fora') as CacheConfig, 15)).toBeNull();
    expect(predictedPsnr(reports, run, { method: 'none' }, 15)).toBeNull();
  });
});
