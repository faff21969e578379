/**
 * The linear predictor's closed-form ridge fit on synthetic trajectories whose skipped residuals
 * are known combinations of earlier ones, recorded through the real profile recorder.
 */
import { describe, expect, it } from 'vitest';
import { validateCacheConfig } from '../../../core/cache/cache-config';
import { CacheConfigError, CacheProfileError } from '../../../core/cache/cache-errors';
import { createCachePolicy } from '../../../core/cache/create-cache-policy';
import { fitLinearPredictor, type LinearFitOptions } from '../../../core/cache/forecast/linear-predictor';
import { LinearForecastPolicy } from '../../../core/cache/policies/linear-forecast-policy';
import type { Branch } from '../../../core/cache/types';
import { stepContext } from './policy-driver';
import { keyFor, pseudoRandom, type RawRuns, recordRuns } from './synthetic-trajectories';

const SHAPE: [number, number, number] = [2, 3, 3];
const SIZE = 18;
const PLANE = 9;
/** Steps 0, 1, 3, 5 computed; 2, 4, 6, 7 skipped. */
const COMPUTE = [true, true, false, true, false, true, false, false];
/** Per skipped step: the true weights on (t_1, t_2), most recent first, per channel. */
const TRUE_WEIGHTS: Record<number, [number, number][]> = {
  2: [[1.5, -0.5], [1.1, 0.1]],
  4: [[1.2, -0.3], [0.7, 0.2]],
  6: [[0.9, 0.2], [1.4, -0.6]],
  7: [[2.0, -1.0], [1.0, 0.05]],
};
const SOURCES: Record<number, [number, number]> = { 2: [1, 0], 4: [3, 1], 6: [5, 3], 7: [5, 3] };

/** Runs whose residual at a skipped step s is Σ_k w_{s,k,c}·r_{t_k} (+ α·x_s + β per channel), exactly. */
function runs(prompts: number, perChannel: boolean, input?: { alpha: number; beta: number }): RawRuns {
  return Array.from({ length: prompts }, (_, p) => {
    const residuals: Float32Array[] = [];
    const inputs = COMPUTE.map((_, k) => pseudoRandom(SIZE, 1000 * p + k + 1));
    COMPUTE.forEach((computed, k) => {
      if (computed) {
        residuals.push(pseudoRandom(SIZE, 7000 + 100 * p + k));
        return;
      }
      const [a, b] = SOURCES[k] as [number, number];
      const ra = residuals[a] as Float32Array;
      const rb = residuals[b] as Float32Array;
      const x = inputs[k] as Float32Array;
      residuals.push(Float32Array.from({ length: SIZE }, (_, i) => {
        const w = (TRUE_WEIGHTS[k] as [number, number][])[perChannel ? Math.floor(i / PLANE) : 0] as [number, number];
        const extra = input === undefined ? 0 : input.alpha * (x[i] as number) + input.beta;
        return w[0] * (ra[i] as number) + w[1] * (rb[i] as number) + extra;
      }));
    });
    return COMPUTE.map((_, k) => {
      const x = inputs[k] as Float32Array;
      const cond = x.map((v, i) => v + ((residuals[k] as Float32Array)[i] as number));
      return { input: x, outputs: { cond, uncond: cond } };
    });
  });
}

const base: LinearFitOptions = { history: 2, perChannel: false, inputTerm: false, ridge: 0, signal: 'branches', prior: 'reuse', priorGap: 1000, affine: false };

describe('fitLinearPredictor', () => {
  it('recovers known scalar weights with ridge 0, with a near-zero profiled error', () => {
    const predictor = fitLinearPredictor(recordRuns(runs(6, false), 1, SHAPE), COMPUTE, base);
    for (const [step, weights] of Object.entries(TRUE_WEIGHTS)) {
      const f = predictor.branches.cond?.[Number(step)];
      expect(f?.sources).toEqual(SOURCES[Number(step)]);
      for (const row of f?.weights ?? []) row.forEach((w, k) => expect(w).toBeCloseTo((weights[0] as [number, number])[k] as number, 4));
      expect(f?.error).toBeLessThan(1e-4);
    }
    expect(predictor.compute).toEqual(COMPUTE);
    expect(predictor.error.filter((_, k) => COMPUTE[k])).toEqual([0, 0, 0, 0]);
  });

  it('recovers per-channel weights with perChannel, which the scalar fit cannot', () => {
    const profile = recordRuns(runs(6, true), 1, SHAPE);
    const channel = fitLinearPredictor(profile, COMPUTE, { ...base, perChannel: true });
    const scalar = fitLinearPredictor(profile, COMPUTE, base);
    for (const [step, weights] of Object.entries(TRUE_WEIGHTS)) {
      const f = channel.branches.cond?.[Number(step)];
      f?.weights.forEach((row, c) => row.forEach((w, k) => expect(w).toBeCloseTo((weights[c] as [number, number])[k] as number, 4)));
      expect(f?.error).toBeLessThan(1e-4);
      expect(scalar.branches.cond?.[Number(step)]?.error).toBeGreaterThan(0.01);
    }
  });

  it('recovers the input weight and bias with inputTerm', () => {
    const predictor = fitLinearPredictor(recordRuns(runs(6, false, { alpha: -0.3, beta: 0.2 }), 1, SHAPE), COMPUTE, { ...base, inputTerm: true });
    const f = predictor.branches.cond?.[4];
    const row = f?.weights[0] as number[];
    expect(row[0]).toBeCloseTo(1.2, 4);
    expect(row[1]).toBeCloseTo(-0.3, 4);
    expect(row[2]).toBeCloseTo(-0.3, 4);
    expect(row[3]).toBeCloseTo(0.2, 4);
  });

  it('a very large ridge returns plain reuse of the last computed residual', () => {
    const predictor = fitLinearPredictor(recordRuns(runs(6, false), 1, SHAPE), COMPUTE, { ...base, ridge: 1e9 });
    for (const step of [2, 4, 6, 7]) {
      const row = predictor.branches.cond?.[step]?.weights[0] as number[];
      expect(row[0]).toBeCloseTo(1, 6);
      expect(row[1]).toBeCloseTo(0, 6);
    }
  });

  it('a very large ridge toward the TaylorSeer prior returns its order-1 weights (1 + k/d, −k/d)', () => {
    const predictor = fitLinearPredictor(recordRuns(runs(6, false), 1, SHAPE), COMPUTE, { ...base, ridge: 1e9, prior: 'taylor' });
    // step 4: sources 3, 1 (d = 2, k = 1); step 7: sources 5, 3 (d = 2, k = 2); step 2: sources 1, 0 (d = 1, k = 1).
    const expected: Record<number, [number, number]> = { 2: [2, -1], 4: [1.5, -0.5], 6: [1.5, -0.5], 7: [2, -1] };
    for (const [step, [a, b]] of Object.entries(expected)) {
      const row = predictor.branches.cond?.[Number(step)]?.weights[0] as number[];
      expect(row[0]).toBeCloseTo(a, 6);
      expect(row[1]).toBeCloseTo(b, 6);
    }
  });

  it('affine: toward TaylorSeer the weights on the sources sum to 1, which recovers true weights that do and stays affine where they do not', () => {
    const profile = recordRuns(runs(6, false), 1, SHAPE);
    const predictor = fitLinearPredictor(profile, COMPUTE, { ...base, prior: 'taylor', affine: true });
    // Steps 2 and 7 are affine (1.5 − 0.5, 2 − 1): recovered exactly. Steps 4 (1.2 − 0.3) and 6 (0.9 + 0.2) are not.
    for (const step of [2, 7]) {
      const row = predictor.branches.cond?.[step]?.weights[0] as number[];
      row.forEach((w, k) => expect(w).toBeCloseTo(((TRUE_WEIGHTS[step] as [number, number][])[0] as [number, number])[k] as number, 4));
      expect(predictor.branches.cond?.[step]?.error).toBeLessThan(1e-4);
    }
    for (const step of [4, 6]) {
      const row = predictor.branches.cond?.[step]?.weights[0] as number[];
      expect((row[0] as number) + (row[1] as number)).toBeCloseTo(1, 9);
      expect(predictor.branches.cond?.[step]?.error).toBeGreaterThan(0.01);
    }
  });

  it('priorGap: sources farther apart than the gap are fitted freely and pulled toward reuse instead of TaylorSeer', () => {
    const profile = recordRuns(runs(6, false), 1, SHAPE);
    // Step 2 reads steps 1, 0 (1 apart); steps 4, 6 and 7 read sources 2 apart.
    const free = fitLinearPredictor(profile, COMPUTE, { ...base, prior: 'taylor', affine: true, priorGap: 1 });
    const step4 = free.branches.cond?.[4]?.weights[0] as number[];
    expect(step4[0]).toBeCloseTo(1.2, 4);
    expect(step4[1]).toBeCloseTo(-0.3, 4);
    const pulled = fitLinearPredictor(profile, COMPUTE, { ...base, prior: 'taylor', affine: true, priorGap: 1, ridge: 1e9 });
    expect(pulled.branches.cond?.[2]?.weights[0]?.[0]).toBeCloseTo(2, 6);
    expect(pulled.branches.cond?.[2]?.weights[0]?.[1]).toBeCloseTo(-1, 6);
    for (const step of [4, 6, 7]) {
      expect(pulled.branches.cond?.[step]?.weights[0]?.[0]).toBeCloseTo(1, 6);
      expect(pulled.branches.cond?.[step]?.weights[0]?.[1]).toBeCloseTo(0, 6);
    }
  });

  it('the policy forecasts the skipped steps of a fitted trajectory exactly', () => {
    const raw = runs(6, false);
    const profile = recordRuns(raw, 1, SHAPE);
    const key = keyFor(8, 1);
    const predictor = fitLinearPredictor(profile, COMPUTE, base);
    const policy = new LinearForecastPolicy(validateCacheConfig({ method: 'linear', history: 2, ridge: 0 }) as never, predictor, key, null);
    const run = raw[2] ?? [];
    run.forEach((step, k) => {
      const ctx = stepContext(k, 8, { input: step.input, output: step.outputs.cond }, ['cond']);
      if (policy.decide(ctx) === 'compute') policy.onComputed(ctx, new Map([['cond', step.outputs.cond]]));
      else policy.reuse(ctx).get('cond')?.forEach((v, i) => expect(v).toBeCloseTo(step.outputs.cond[i] as number, 4));
    });
    expect(policy.forecastStats()).toEqual({ forecastSteps: COMPUTE.map((c) => !c), fallbackSteps: [] });
  });

  it('falls back to computing a step whose forecast is not finite, and records it', () => {
    const raw = runs(3, false);
    const predictor = fitLinearPredictor(recordRuns(raw, 1, SHAPE), COMPUTE, base);
    const broken = predictor.branches.cond?.[4];
    if (broken) broken.weights = broken.weights.map((row) => row.map(() => Number.NaN));
    const policy = new LinearForecastPolicy(validateCacheConfig({ method: 'linear' }) as never, predictor, keyFor(8, 1), null);
    const decisions = (raw[0] ?? []).map((step, k) => {
      const ctx = stepContext(k, 8, { input: step.input, output: step.outputs.cond }, ['cond']);
      const d = policy.decide(ctx);
      if (d === 'compute') policy.onComputed(ctx, new Map([['cond', step.outputs.cond]]));
      else policy.reuse(ctx);
      return d;
    });
    expect(decisions[4]).toBe('compute');
    expect(policy.forecastStats().fallbackSteps).toEqual([4]);
    expect(policy.forecastStats().forecastSteps).toEqual([false, false, true, false, false, false, true, true]);
  });
});

describe('refusals', () => {
  const profile = recordRuns(runs(2, false), 1, SHAPE);
  const key = keyFor(8, 1);

  it('a forecasting method without a profile says to profile', () => {
    for (const method of ['linear', 'ertacache-forecast'] as const) {
      expect(() => createCachePolicy(validateCacheConfig({ method }))).toThrow(CacheConfigError);
      expect(() => createCachePolicy(validateCacheConfig({ method }))).toThrow(/needs a calibration profile.*run a calibration first/);
    }
  });

  it('a predictor (or profile) for another model, scheduler, step count or CFG scale is refused with the reason', () => {
    const predictor = fitLinearPredictor(profile, COMPUTE, base);
    const config = validateCacheConfig({ method: 'linear' }) as never;
    const cases: [Partial<typeof key>, RegExp][] = [
      [{ modelHash: 'other-model' }, /linear: the linear predictor was made for model abc123, this run uses other-model; profile this model again/],
      [{ scheduler: 'EulerDiscreteScheduler' }, /was made for scheduler FlowMatchEulerDiscreteScheduler, this run uses EulerDiscreteScheduler/],
      [{ steps: 10 }, /was made for 8 steps, this run uses 10/],
      [{ cfg: 4 }, /was made for CFG scale 1, this run uses 4/],
    ];
    for (const [change, message] of cases) {
      expect(() => new LinearForecastPolicy(config, predictor, { ...key, ...change }, null)).toThrow(CacheProfileError);
      expect(() => new LinearForecastPolicy(config, predictor, { ...key, ...change }, null)).toThrow(message);
      expect(() => createCachePolicy(validateCacheConfig({ method: 'ertacache-forecast', calls: 4 }), { profile, key: { ...key, ...change } })).toThrow(CacheProfileError);
    }
  });

  it('the guided signal on a profile without CFG uses the one branch; a history out of range is refused', () => {
    expect(fitLinearPredictor(profile, COMPUTE, { ...base, signal: 'guided' }).branches.cond?.[2]?.sources).toEqual([1, 0]);
    expect(() => fitLinearPredictor(profile, COMPUTE, { ...base, history: 5 })).toThrow(/history must be 1..4, got 5/);
    expect(() => fitLinearPredictor(profile, COMPUTE.slice(1), base)).toThrow(/a schedule of 7 steps for a profile of 8/);
  });

  it('both CFG branches get their own fit with signal "branches"', () => {
    const cfgProfile = recordRuns(runs(3, false), 4, SHAPE);
    const predictor = fitLinearPredictor(cfgProfile, COMPUTE, base);
    for (const b of ['uncond', 'cond'] as Branch[]) expect(predictor.branches[b]?.[4]?.weights[0]?.[0]).toBeCloseTo(1.2, 4);
  });
});
