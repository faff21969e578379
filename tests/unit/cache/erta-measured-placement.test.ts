import { describe, expect, it } from 'vitest';
import { CacheProfileError, createCachePolicy, planSchedule, validateCacheConfig } from '../../../core/cache';
import { deriveErtaSchedule } from '../../../core/cache/erta/derive-erta-schedule';
import { ertaSeries } from '../../../core/cache/erta/erta-signal';
import { combineReuseCosts, measurePromptReuseCost, reuseCostCalls } from '../../../core/cache/erta/measure-reuse-cost';
import { measuredRunCosts, residualGram } from '../../../core/cache/erta/measured-run-cost';
import { placedReuseSet } from '../../../core/cache/erta/placed-reuse-set';
import { placedComputeSteps } from '../../../core/cache/forecast/forecast-schedules';
import { parseCacheProfile } from '../../../core/cache/profile/parse-profile';
import type { CacheProfile, MeasuredReuseCost } from '../../../core/cache/profile/profile-types';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { Branch } from '../../../core/sampling/branch';
import type { DenoiseModel } from '../../../core/sampling/denoise-model';
import { type RawRuns, keyFor, pseudoRandom, randomRuns, recordRuns, residual } from './synthetic-trajectories';

/** A profile of `runs` (cfg 1: the cond branch is the guided output) carrying `gain` as its measured reuse cost. */
function measuredProfile(runs: RawRuns, gain: number[]): CacheProfile {
  const profile = recordRuns(runs, 1, [1, 1, runs[0]?.[0]?.input.length ?? 1]);
  return { ...profile, reuseCost: { method: 'rollout', space: 'latent', prompts: runs.length, finalGain: gain, x0Gain: gain } };
}

/** Σ over prompts of ‖Σ_{i=j+1}^{k−1} h_i·(r_j − r_i)‖₂², straight from the raw runs. */
function bruteRunCost(runs: RawRuns, gain: readonly number[], j: number, k: number): number {
  let total = 0;
  for (const run of runs) {
    const rj = residual(run[j] as RawRuns[0][0], 'cond');
    const d = new Float64Array(rj.length);
    for (let i = j + 1; i < k; i++) {
      const ri = residual(run[i] as RawRuns[0][0], 'cond');
      for (let n = 0; n < d.length; n++) d[n] = (d[n] as number) + (gain[i] as number) * ((rj[n] as number) - (ri[n] as number));
    }
    total += d.reduce((s, v) => s + v * v, 0);
  }
  return total;
}

/** Cost of a whole placement: the sum of its runs' costs. */
function placementCost(runs: RawRuns, gain: readonly number[], compute: readonly boolean[]): number {
  const starts = compute.flatMap((c, k) => (c ? [k] : []));
  return starts.reduce((s, j, n) => s + bruteRunCost(runs, gain, j, starts[n + 1] ?? compute.length), 0);
}

/**
 * Residuals that are constant on steps 5..10 (reuse there is exact) and curve everywhere else
 * (r_k = r₀ + k²·d): the cheap place to reuse is the flat stretch. Inputs are 0, one channel.
 */
function flatStretchRuns(steps: number, size: number): RawRuns {
  return [0, 1].map((p) => {
    const r0 = pseudoRandom(size, 10 + p);
    const d = pseudoRandom(size, 20 + p, 0.1);
    const curve = (k: number) => (k < 5 ? k * k : k <= 10 ? 25 : 25 + (k - 10) * (k - 10) + 3 * (k - 10));
    return Array.from({ length: steps }, (_, k) => {
      const out = r0.map((v, n) => v + curve(k) * (d[n] as number));
      return { input: new Float32Array(size), outputs: { cond: out, uncond: out } };
    });
  });
}

describe('ERTACache placement by measured cost', () => {
  it('puts the reused steps on the stretch where the residual does not change', () => {
    const steps = 16;
    const runs = flatStretchRuns(steps, 8);
    const profile = measuredProfile(runs, new Array<number>(steps).fill(1));
    const branches = ertaSeries(profile, 'branches');
    // 16 steps, 11 calls: 5 reuses, exactly the flat steps 6..10 after computing step 5.
    const placed = placedReuseSet(branches, branches, steps, null, 11, { pooled: (profile.stats.cond as NonNullable<CacheProfile['stats']['cond']>).pooled, gain: profile.reuseCost?.finalGain ?? [] });
    expect(placed.cost).toBe('measured');
    expect(placed.compute.flatMap((c, k) => (c ? [] : [k]))).toEqual([6, 7, 8, 9, 10]);
    expect(placed.source.slice(6, 11)).toEqual([5, 5, 5, 5, 5]);
    // A step whose measured gain is 0 (its error does not reach the final latent) is reused first.
    const gain = new Array<number>(steps).fill(1);
    gain[2] = 0;
    const withFreeStep = placedReuseSet(branches, branches, steps, null, 10, { pooled: (profile.stats.cond as NonNullable<CacheProfile['stats']['cond']>).pooled, gain });
    expect(withFreeStep.compute[2]).toBe(false);
  });

  it('costs a run as the squared norm of its summed, gain-weighted errors (consecutive reuses compound)', () => {
    const steps = 7;
    const runs = randomRuns(3, steps, 6);
    const gain = [0, 0.5, 1, 2, 0.25, 1.5, 0.1];
    const profile = recordRuns(runs, 1, [2, 1, 3]);
    const run = measuredRunCosts(residualGram((profile.stats.cond as NonNullable<CacheProfile['stats']['cond']>).pooled, steps), gain, steps);
    for (let j = 0; j < steps; j++) {
      for (let k = j + 1; k <= steps; k++) expect((run[j] as number[])[k]).toBeCloseTo(bruteRunCost(runs, gain, j, k), 3);
    }
    // Two reuses from one source cost more than the two single reuses: the errors point the same way.
    expect((run[0] as number[])[3]).toBeGreaterThan(bruteRunCost(runs, gain, 0, 2) + bruteRunCost(runs, gain, 1, 3));
  });

  it('is the least-cost placement of N computed steps (checked against every placement), N respected', () => {
    const steps = 8;
    const runs = randomRuns(2, steps, 5);
    const gain = [0, 1.2, 0.4, 0.9, 0.3, 1.1, 0.6, 0.05];
    const profile = measuredProfile(runs, gain);
    const branches = ertaSeries(profile, 'branches');
    const input = { pooled: (profile.stats.cond as NonNullable<CacheProfile['stats']['cond']>).pooled, gain };
    for (const n of [2, 3, 5, 7]) {
      const placed = placedReuseSet(branches, branches, steps, null, n, input);
      expect(placed.compute.filter(Boolean)).toHaveLength(n);
      expect(placed.compute[0]).toBe(true);
      let best = Infinity;
      for (let mask = 0; mask < 1 << (steps - 1); mask++) {
        const compute = [true, ...Array.from({ length: steps - 1 }, (_, i) => ((mask >> i) & 1) === 1)];
        if (compute.filter(Boolean).length === n) best = Math.min(best, placementCost(runs, gain, compute));
      }
      expect(placementCost(runs, gain, placed.compute)).toBeCloseTo(best, 3);
    }
  });

  it("holds ERTACache's call budget and says which cost placed the steps", () => {
    const steps = 12;
    const runs = randomRuns(2, steps, 6);
    const profile = measuredProfile(runs, Array.from({ length: steps }, (_, k) => (k === 0 ? 0 : 1 / k)));
    const key = { ...profile.key };
    for (const lambda of [0.05, 0.2, 0.6]) {
      const greedy = deriveErtaSchedule(profile, lambda, { reuseSet: 'greedy' });
      const measured = deriveErtaSchedule(profile, lambda, { reuseSet: 'measured' });
      expect(measured.placement).toBe('measured');
      expect(deriveErtaSchedule(profile, lambda).placement).toBe('proxy');
      expect(greedy.placement).toBe('greedy');
      expect(measured.compute.filter(Boolean).length).toBe(greedy.compute.filter(Boolean).length);
      expect(planSchedule(validateCacheConfig({ method: 'ertacache', lambda, reuseSet: 'measured' }), steps, { profile, key }).modelCalls).toBe(greedy.compute.filter(Boolean).length);
    }
    for (const calls of [3, 5, 8]) expect(placedComputeSteps(profile, calls, 'guided').filter(Boolean)).toHaveLength(calls);
  });
});

describe('measuring the reuse cost on a model', () => {
  /** v = a·x + b_t per element: a linear ODE, so a deviation δ after step i is (1 + Δσ_i·a)·δ one step later. */
  const a = -0.7;
  const size = 6;
  const bias = (t: number) => pseudoRandom(size, Math.round(t), 0.5);
  const model: DenoiseModel = {
    predict: async (x, t, branches) => new Map(branches.map((b: Branch) => [b, x.map((v, n) => a * v + (bias(t)[n] as number) * (b === 'cond' ? 1 : 0.4))])),
  };

  it('gives each step the gain the linear ODE predicts, in (T² − T)/2 + 1 model calls', async () => {
    const T = 6;
    const scheduler = createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 }, T);
    let calls = 0;
    const cost = await measurePromptReuseCost({ model, scheduler, initialNoise: pseudoRandom(size, 5), cfg: 3, onCall: (n) => (calls = n) });
    expect(calls).toBe(reuseCostCalls(T));
    expect(reuseCostCalls(T)).toBe((T * T - T) / 2 + 1);
    const sigma = scheduler.sigmas;
    const gain = combineReuseCosts([cost], 'latent').finalGain;
    expect(gain[0]).toBe(0);
    for (let k = 1; k < T; k++) {
      let g = Math.abs((sigma[k + 1] as number) - (sigma[k] as number));
      for (let i = k + 1; i < T; i++) g *= Math.abs(1 + ((sigma[i + 1] as number) - (sigma[i] as number)) * a);
      expect(gain[k]).toBeCloseTo(g, 4);
      expect(cost.error2[k]).toBeGreaterThan(0);
    }
  });
});

describe('profiles with and without a measured reuse cost', () => {
  const steps = 5;
  const base = recordRuns(randomRuns(2, steps, 4), 2, [1, 2, 2], [1, 0.8, 0.6, 0.4, 0.2, 0]);
  const reuseCost: MeasuredReuseCost = { method: 'rollout', space: 'image', prompts: 2, finalGain: [0, 0.3, 0.2, 0.2, 0.1], x0Gain: [0, 0.5, 0.3, 0.2, 0.1] };

  it('reads a version-1 profile (no measured cost): the proxy placement works, the measured one asks to profile again', () => {
    const v1 = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    v1.version = 1;
    delete v1.reuseCost;
    const parsed = parseCacheProfile(JSON.stringify(v1));
    expect(parsed.version).toBe(1);
    expect(parsed.reuseCost).toBeNull();
    expect(deriveErtaSchedule(parsed, 0.3).placement).toBe('proxy');
    expect(() => createCachePolicy(validateCacheConfig({ method: 'ertacache', lambda: 0.3, reuseSet: 'measured' }), { profile: parsed, key: parsed.key })).toThrow(CacheProfileError);
    expect(() => deriveErtaSchedule(parsed, 0.3, { reuseSet: 'measured' })).toThrow(/no measured reuse cost \(it was recorded by an older version\); profile the model again \(studio profile\)/);
  });

  it('keeps a version-2 measured cost through JSON and places by it; refuses a bad one or another version', () => {
    const parsed = parseCacheProfile(JSON.stringify({ ...base, reuseCost }));
    expect(parsed.version).toBe(2);
    expect(parsed.reuseCost).toEqual(reuseCost);
    expect(deriveErtaSchedule(parsed, 0.3, { reuseSet: 'measured' }).placement).toBe('measured');
    expect(() => parseCacheProfile(JSON.stringify({ ...base, reuseCost: { ...reuseCost, finalGain: [0, 1] } }))).toThrow(/reuseCost\.finalGain has 2 values, expected 5/);
    expect(() => parseCacheProfile(JSON.stringify({ ...base, reuseCost: { ...reuseCost, x0Gain: [0, -1, 0, 0, 0] } }))).toThrow(/reuseCost\.x0Gain must hold numbers ≥ 0/);
    expect(() => parseCacheProfile(JSON.stringify({ ...base, version: 3 }))).toThrow(/version is 3, this build reads versions 1 and 2; recalibrate/);
    expect(keyFor(steps, 2).steps).toBe(steps);
  });
});
