import { describe, expect, it } from 'vitest';
import { CacheProfileError } from '../../../core/cache/cache-errors';
import { createCachePolicy } from '../../../core/cache/create-cache-policy';
import { deriveErtaSchedule } from '../../../core/cache/erta/derive-erta-schedule';
import { applyRectification, fitRectification } from '../../../core/cache/erta/rectification';
import { type ErtaSignal, ertaSeries } from '../../../core/cache/erta/erta-signal';
import { PROPAGATION_SCALE, placedReuseSet, placementWeights, propagationGain } from '../../../core/cache/erta/placed-reuse-set';
import { greedyReuseSet } from '../../../core/cache/erta/reuse-set';
import { applyGuidance } from '../../../core/sampler/guidance';
import { type CacheProfile, branchProfile } from '../../../core/cache/profile/profile-types';
import type { Branch } from '../../../core/cache/types';
import { type Step, drive, outputsOf, stepContext } from './policy-driver';
import { type RawRuns, diff, keyFor, l1, randomRuns, recordRuns, residual } from './synthetic-trajectories';
import { validateCacheConfig } from '../../../core/cache/cache-config';

const T = true;
const F = false;

const reuseSet = (profile: CacheProfile, lambda: number, signal: ErtaSignal = 'branches') => greedyReuseSet(ertaSeries(profile, signal), profile.key.steps, lambda);

/** One prompt whose residual at step k is scale_k·(1, 2): e(j, k) = |s_j − s_k| / s_k. Inputs are 0. */
function scaledRuns(scalesByBranch: Partial<Record<Branch, number[]>>[]): RawRuns {
  return scalesByBranch.map((byBranch) => {
    const cond = byBranch.cond ?? [];
    return cond.map((_, k) => {
      const out = (b: Branch) => Float32Array.from([1, 2], (v) => v * ((byBranch[b] ?? cond)[k] as number));
      return { input: new Float32Array(2), outputs: { cond: out('cond'), uncond: out('uncond') } };
    });
  });
}

describe('ERTACache reuse set (greedy)', () => {
  const scales = [1, 1.05, 1.1, 1.3, 1.32, 1.33, 2];

  it('reuses while the stale residual is within λ, refreshes otherwise; first and last computed', () => {
    const profile = recordRuns(scaledRuns([{ cond: scales }]), 1, [1, 1, 2]);
    // λ 0.1: e(0,1) = .048, e(0,2) = .091 reuse; e(0,3) = .23 compute; e(3,4) = .015, e(3,5) = .023 reuse; 6 is last.
    expect(reuseSet(profile, 0.1)).toMatchObject({ compute: [T, F, F, T, F, F, T], source: [0, 0, 0, 3, 3, 3, 6] });
    expect(reuseSet(profile, 0.1).error[2]).toBeCloseTo(0.1 / 1.1, 6);
    // λ 0.05: e(0,2) = .091 → compute; e(2,3) = .154 → compute.
    expect(reuseSet(profile, 0.05).compute).toEqual([T, F, T, T, F, F, T]);
    expect(reuseSet(profile, 0).compute).toEqual(new Array(7).fill(T));
  });

  it('averages the relative error over prompts and takes the worst CFG branch', () => {
    // Step 1: prompt errors 0.04 and 0.14 → mean 0.09 < 0.1 → reuse.
    const twoPrompts = recordRuns(scaledRuns([{ cond: [1, 1 / 0.96, 1] }, { cond: [1, 1 / 0.86, 1] }]), 1, [1, 1, 2]);
    expect(reuseSet(twoPrompts, 0.1).compute).toEqual([T, F, T]);
    // The uncond branch changes by 20% at step 1 → computed although cond would reuse.
    const guided = recordRuns(scaledRuns([{ cond: [1, 1.01, 1], uncond: [1, 1.25, 1] }]), 2, [1, 1, 2]);
    expect(reuseSet(guided, 0.1).compute).toEqual([T, T, T]);
    // The guided output (cfg 2: 2c − u) scales by 2·1.01 − 1.25 = 0.77 at step 1: e = 0.23/0.77 ≥ 0.1 → computed.
    expect(reuseSet(guided, 0.1, 'guided').compute).toEqual([T, T, T]);
    expect(reuseSet(guided, 0.35, 'guided').compute).toEqual([T, F, T]);
  });
});

describe('ERTACache φ and rectification against direct computation', () => {
  const runs = randomRuns(3, 6, 12);
  const profile = recordRuns(runs, 2, [2, 2, 3]);
  const schedule = deriveErtaSchedule(profile, 0.5, { signal: 'branches', reuseSet: 'greedy' });
  const reused = schedule.compute.flatMap((c, k) => (c ? [] : [k]));

  it('reuses some steps of the synthetic runs', () => {
    expect(reused.length).toBeGreaterThan(0);
    expect(schedule.compute[0]).toBe(T);
    expect(schedule.compute[5]).toBe(T);
  });

  it('φ_k = mean over prompts and branches of clip(1 − ‖ṽ − v‖₁ / ‖v_k‖₁, 0, 1), and the Eq. 9 variant', () => {
    for (const k of reused) {
      const j = schedule.source[k] as number;
      let velocity = 0;
      let velocityChange = 0;
      for (const run of runs) {
        for (const b of ['uncond', 'cond'] as const) {
          const [sj, sk, sprev] = [run[j], run[k], run[k - 1]];
          if (sj === undefined || sk === undefined || sprev === undefined) throw new Error('missing');
          const vTilde = sk.input.map((x, i) => x + (residual(sj, b)[i] as number));
          const err = l1(diff(vTilde, sk.outputs[b]));
          velocity += Math.min(1, Math.max(0, 1 - err / l1(sk.outputs[b])));
          velocityChange += Math.min(1, Math.max(0, 1 - err / l1(diff(sk.outputs[b], sprev.outputs[b]))));
        }
      }
      expect(schedule.phi[k]).toBeCloseTo(velocity / 6, 5);
      expect(deriveErtaSchedule(profile, 0.5, { phiReference: 'velocity-change', signal: 'branches', reuseSet: 'greedy' }).phi[k]).toBeCloseTo(velocityChange / 6, 5);
    }
    schedule.compute.forEach((c, k) => c && expect(schedule.phi[k]).toBe(1));
  });

  it('per-channel (a, c) is the OLS fit of ε = ṽ − v on ṽ, pooled over prompts and positions', () => {
    for (const k of reused) {
      const j = schedule.source[k] as number;
      for (const b of ['uncond', 'cond'] as const) {
        const model = schedule.rectification[b]?.[k];
        if (model == null) throw new Error('no model');
        for (const channel of [0, 1]) {
          const vs: number[] = [];
          const es: number[] = [];
          for (const run of runs) {
            const [sj, sk] = [run[j], run[k]];
            if (sj === undefined || sk === undefined) throw new Error('missing');
            for (let i = channel * 6; i < channel * 6 + 6; i++) {
              const vTilde = (sk.input[i] as number) + (residual(sj, b)[i] as number);
              vs.push(vTilde);
              es.push(vTilde - (sk.outputs[b][i] as number));
            }
          }
          const mv = vs.reduce((s, v) => s + v, 0) / vs.length;
          const me = es.reduce((s, v) => s + v, 0) / es.length;
          const cov = vs.reduce((s, v, i) => s + (v - mv) * ((es[i] as number) - me), 0);
          const varV = vs.reduce((s, v) => s + (v - mv) ** 2, 0);
          expect(model.slope[channel]).toBeCloseTo(cov / varV, 6);
          expect(model.intercept[channel]).toBeCloseTo(me - (cov / varV) * mv, 6);
        }
      }
    }
  });

  it("scalar granularity pools the channels; 'off' fits nothing", () => {
    const k = reused[0] as number;
    const j = schedule.source[k] as number;
    const pooled = branchProfile(profile, 'cond').pooled;
    const scalar = fitRectification(pooled, j, k, 'scalar');
    expect(scalar.slope[0]).toBe(scalar.slope[1]);
    const perChannel = fitRectification(pooled, j, k, 'channel');
    expect(scalar.slope[0]).not.toBeCloseTo(perChannel.slope[0] as number, 6);
    expect(deriveErtaSchedule(profile, 0.5, { rectification: 'off' }).rectification.cond?.every((m) => m === null)).toBe(true);
  });

  it("signal 'guided': φ and one shared fit come from the guided output u + s·(c − u); the reuse set from the branches", () => {
    const guided = deriveErtaSchedule(profile, 0.5, { reuseSet: 'greedy' });
    const g = (step: { outputs: Record<Branch, Float32Array> }) => applyGuidance(step.outputs.uncond, step.outputs.cond, 2);
    for (const k of guided.compute.flatMap((c, i) => (c ? [] : [i]))) {
      const j = guided.source[k] as number;
      let phi = 0;
      const vs: number[] = [];
      const es: number[] = [];
      for (const run of runs) {
        const [sj, sk] = [run[j], run[k]];
        if (sj === undefined || sk === undefined) throw new Error('missing');
        const rj = diff(g(sj), sj.input);
        const vTilde = sk.input.map((x, i) => x + (rj[i] as number));
        const err = l1(diff(vTilde, g(sk)));
        phi += Math.min(1, Math.max(0, 1 - err / l1(g(sk))));
        for (let i = 0; i < 6; i++) {
          vs.push(vTilde[i] as number);
          es.push((vTilde[i] as number) - (g(sk)[i] as number));
        }
      }
      expect(guided.phi[k]).toBeCloseTo(phi / runs.length, 5);
      const mv = vs.reduce((s, v) => s + v, 0) / vs.length;
      const me = es.reduce((s, v) => s + v, 0) / es.length;
      const slope = vs.reduce((s, v, i) => s + (v - mv) * ((es[i] as number) - me), 0) / vs.reduce((s, v) => s + (v - mv) ** 2, 0);
      expect(guided.rectification.cond?.[k]?.slope[0]).toBeCloseTo(slope, 5);
      expect(guided.rectification.uncond?.[k]).toBe(guided.rectification.cond?.[k]);
    }
    expect(guided.compute).toEqual(schedule.compute);
    expect(guided.error).toEqual(schedule.error);
    const old: CacheProfile = { ...profile, guided: null };
    expect(() => deriveErtaSchedule(old, 0.5)).toThrow(/profile the model again/);
    expect(deriveErtaSchedule(old, 0.5, { signal: 'branches', reuseSet: 'greedy' }).compute).toEqual(schedule.compute);
  });

  it('applyRectification computes (1 − a_c)·ṽ − c_c per channel', () => {
    const out = applyRectification(Float32Array.from([1, 2, 3, 4]), { slope: [0.5, -1], intercept: [0.25, 1] }, 2);
    expect(Array.from(out)).toEqual([0.25, 0.75, 5, 7]);
  });
});

describe('ERTACache policy', () => {
  const runs = randomRuns(2, 6, 12);
  const sigmas = [1, 0.8, 0.6, 0.4, 0.2, 0.1, 0];
  const profile = recordRuns(runs, 2, [2, 2, 3], sigmas);
  const key = keyFor(6, 2);
  const branches: Branch[] = ['uncond', 'cond'];
  const steps: Step[] = (runs[0] ?? []).map((s) => ({ input: s.input, output: s.outputs }));

  /** Drives a λ 0.5 policy over the first run up to its first reused step k and returns what it rebuilt there. */
  function firstReuse(signal: ErtaSignal) {
    const policy = createCachePolicy(validateCacheConfig({ method: 'ertacache', lambda: 0.5, signal }), { profile, key });
    const schedule = deriveErtaSchedule(profile, 0.5, { signal });
    expect(drive(policy, steps, branches)).toEqual(schedule.compute);
    const k = schedule.compute.indexOf(false);
    policy.reset();
    for (let i = 0; i < k; i++) {
      const ctx = stepContext(i, 6, steps[i] as Step, branches);
      if (policy.decide(ctx) === 'compute') policy.onComputed(ctx, outputsOf(steps[i] as Step, branches));
    }
    const ctx = stepContext(k, 6, steps[k] as Step, branches);
    expect(policy.decide(ctx)).toBe('reuse');
    return { schedule, k, j: schedule.source[k] as number, out: policy.reuse(ctx) };
  }

  it('computes exactly the derived schedule and rebuilds reused outputs as rectified x + r', () => {
    const { schedule, k, j, out: outputs } = firstReuse('branches');
    const out = outputs.get('cond') as Float32Array;
    const model = schedule.rectification.cond?.[k];
    if (model == null) throw new Error('no model');
    const sj = runs[0]?.[j];
    if (sj === undefined) throw new Error('missing');
    const r = residual(sj, 'cond');
    out.forEach((v, i) => {
      const c = i < 6 ? 0 : 1;
      const vTilde = ((steps[k] as Step).input[i] as number) + (r[i] as number);
      expect(v).toBeCloseTo(vTilde - ((model.slope[c] as number) * vTilde + (model.intercept[c] as number)), 5);
    });
  });

  it("signal 'guided': both branches get the guided correction, so the guided output is rectified exactly", () => {
    const { schedule, k, j, out } = firstReuse('guided');
    const model = schedule.rectification.cond?.[k];
    const sj = runs[0]?.[j];
    if (model == null || sj === undefined) throw new Error('missing');
    const x = (steps[k] as Step).input;
    const plain = (b: Branch) => x.map((xi, i) => xi + (residual(sj, b)[i] as number));
    const gTilde = applyGuidance(plain('uncond'), plain('cond'), 2);
    const gOut = applyGuidance(out.get('uncond') as Float32Array, out.get('cond') as Float32Array, 2);
    gOut.forEach((v, i) => {
      const c = i < 6 ? 0 : 1;
      const want = (gTilde[i] as number) - ((model.slope[c] as number) * (gTilde[i] as number) + (model.intercept[c] as number));
      expect(v).toBeCloseTo(want, 4);
    });
    // The correction is the same for both branches.
    const shiftU = plain('uncond').map((v, i) => v - ((out.get('uncond') as Float32Array)[i] as number));
    const shiftC = plain('cond').map((v, i) => v - ((out.get('cond') as Float32Array)[i] as number));
    shiftU.forEach((d, i) => expect(d).toBeCloseTo(shiftC[i] as number, 5));
  });

  it('gives the adjusted σ grid, none when time adjustment is off, and refuses a different schedule', () => {
    const policy = createCachePolicy(validateCacheConfig({ method: 'ertacache', lambda: 0.5, timeAdjustment: true }), { profile, key });
    const grid = policy.sigmaGrid(sigmas) as Float64Array;
    expect(grid[0]).toBe(1);
    expect(grid[6]).toBe(0);
    expect(createCachePolicy(validateCacheConfig({ method: 'ertacache', lambda: 0.5, timeAdjustment: false }), { profile, key }).sigmaGrid(sigmas)).toBeUndefined();
    expect(() => policy.sigmaGrid([1, 0.9, 0.6, 0.4, 0.2, 0.1, 0])).toThrow(CacheProfileError);
  });
});

describe("ERTACache 'placed' reuse set", () => {
  const steps = 7;
  const sigmas = [1, 0.9, 0.75, 0.55, 0.35, 0.15, 0.05, 0];
  const profile = recordRuns(randomRuns(3, steps, 12), 2, [2, 2, 3], sigmas);
  const series = ertaSeries(profile, 'guided');
  const branches = ertaSeries(profile, 'branches');
  /** G(σ) = s/√((1−σ)²s² + σ²), written out here. */
  const gain = (sigma: number) => PROPAGATION_SCALE / Math.sqrt((1 - sigma) ** 2 * PROPAGATION_SCALE ** 2 + sigma * sigma);
  /** Σ over runs of reused steps of (Σ_k G(σ_{k+1})·Δt_k · mean over prompts ‖r_src − r_k‖₁ / ‖r_k‖₁)², computed from the stats directly. */
  const cost = (compute: boolean[]): number => {
    let total = 0;
    let run = 0;
    let last = 0;
    compute.forEach((c, k) => {
      if (c) {
        total += run * run;
        run = 0;
        last = k;
        return;
      }
      const g = series[0] as (typeof series)[0];
      const mean = g.prompts.reduce((s, p) => s + (p.residualDist[(k * (k - 1)) / 2 + last] as number) / (p.residualL1[k] as number), 0) / g.prompts.length;
      run += gain(sigmas[k + 1] as number) * ((sigmas[k] as number) - (sigmas[k + 1] as number)) * mean;
    });
    return total + run * run;
  };

  it('is the least-cost placement of N computed steps (checked against every placement)', () => {
    for (const n of [2, 3, 4, 6]) {
      const placed = placedReuseSet(series, branches, steps, sigmas, n);
      expect(placed.compute.filter(Boolean)).toHaveLength(n);
      expect(placed.compute[0]).toBe(true);
      let best = Infinity;
      for (let mask = 0; mask < 1 << (steps - 1); mask++) {
        const compute = [true, ...Array.from({ length: steps - 1 }, (_, i) => ((mask >> i) & 1) === 1)];
        if (compute.filter(Boolean).length === n) best = Math.min(best, cost(compute));
      }
      expect(cost(placed.compute)).toBeCloseTo(best, 9);
      placed.compute.forEach((c, k) => expect(placed.source[k]).toBe(c ? k : placed.source[k - 1]));
    }
  });

  it('may reuse the last step, and weighs late errors more than early ones (G grows from s at σ = 1 to 1 at σ = 0)', () => {
    expect(propagationGain(1)).toBeCloseTo(PROPAGATION_SCALE, 12);
    expect(propagationGain(0)).toBeCloseTo(1, 12);
    expect(propagationGain(0.9)).toBeLessThan(propagationGain(0.1));
    const reusesLast = [2, 3, 4, 5, 6].some((n) => !placedReuseSet(series, branches, steps, sigmas, n).compute[steps - 1]);
    expect(reusesLast).toBe(true);
    // An ε-model σ grid (σ_max > 1) is weighed as the equivalent flow time σ/(1 + σ).
    const w = placementWeights([14, 3, 1, 0], 3);
    expect(w[0]).toBeCloseTo(propagationGain(0.75) * (14 / 15 - 0.75), 12);
    expect(w[2]).toBeCloseTo(propagationGain(0) * 0.5, 12);
    expect(placementWeights(null, 3)).toEqual([1, 1, 1]);
  });

  it('still places N steps when relative errors are unbounded (zero residuals), computing those steps first', () => {
    const oneZero = structuredClone(series);
    for (const p of (oneZero[0] as (typeof oneZero)[0]).prompts) p.residualL1[3] = 0;
    const allZero = structuredClone(series);
    for (const p of (allZero[0] as (typeof allZero)[0]).prompts) p.residualL1.fill(0);
    for (const n of [2, 3, 4, 5]) {
      const placed = placedReuseSet(oneZero, branches, steps, sigmas, n);
      expect(placed.compute.filter(Boolean)).toHaveLength(n);
      expect(placed.compute[3]).toBe(true);
      // Every placement reuses some step with an unbounded error: still exactly n computed.
      expect(placedReuseSet(allZero, branches, steps, sigmas, n).compute.filter(Boolean)).toHaveLength(n);
    }
  });

  it("has the greedy rule's number of model calls for the same λ", () => {
    for (const lambda of [0.2, 0.5, 1]) {
      const greedy = deriveErtaSchedule(profile, lambda, { reuseSet: 'greedy' });
      const placed = deriveErtaSchedule(profile, lambda);
      expect(placed.compute.filter(Boolean).length).toBe(greedy.compute.filter(Boolean).length);
    }
  });
});
