import { describe, expect, it } from 'vitest';
import { CacheConfigError, CacheProfileError } from '../../../core/cache/cache-errors';
import { createCachePolicy } from '../../../core/cache/create-cache-policy';
import { deriveErtaSchedule } from '../../../core/cache/erta/derive-erta-schedule';
import { planSchedule } from '../../../core/cache/plan-schedule';
import { branchProfile } from '../../../core/cache/profile/profile-types';
import { staleResidualError } from '../../../core/cache/profile/reuse-error';
import type { Branch } from '../../../core/cache/types';
import { type Step, drive } from './policy-driver';
import { keyFor, randomRuns, recordRuns } from './synthetic-trajectories';
import { validateCacheConfig } from '../../../core/cache/cache-config';

const STEPS = 10;
const branches: Branch[] = ['uncond', 'cond'];

describe('planSchedule', () => {
  const runs = randomRuns(1, STEPS, 12);
  const profile = recordRuns(runs, 2, [2, 2, 3]);
  const calibration = { profile, key: keyFor(STEPS, 2) };
  /** The calibration run itself, replayed through a policy. */
  const steps: Step[] = (runs[0] ?? []).map((s) => ({ input: s.input, output: s.outputs }));

  it('FORA without a profile: the fixed pattern, speedup from model calls, no error estimate', () => {
    const plan = planSchedule({ method: 'fora', interval: 3 }, STEPS);
    expect(plan.computeSteps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i % 3 === 0));
    expect(plan.modelCalls).toBe(4);
    expect(plan.predictedSpeedup).toBe(2.5);
    expect(plan.predictedError).toBeNull();
    expect(plan.exact).toBe(true);
    expect(planSchedule({ method: 'none' }, STEPS, calibration).predictedError).toBe(0);
  });

  it('exact plans are exactly what the policies do (FORA, MagCache, ERTACache)', () => {
    for (const config of [{ method: 'fora', interval: 2 }, { method: 'magcache', threshold: 0.3, maxSkips: 3, warmupRatio: 0.1 }, { method: 'ertacache', lambda: 0.4 }]) {
      const plan = planSchedule(validateCacheConfig(config), STEPS, calibration);
      expect(plan.exact).toBe(true);
      expect(plan.computeSteps.some((c) => !c)).toBe(true);
      expect(drive(createCachePolicy(validateCacheConfig(config), calibration), steps, branches)).toEqual(plan.computeSteps);
    }
  });

  it('adaptive plans replay the rule on the profiled run: identical on that same run (TeaCache, EasyCache)', () => {
    for (const config of [{ method: 'teacache', threshold: 0.2, coefficients: [0, 0, 0, 1, 0] }, { method: 'easycache', threshold: 0.3, warmupRatio: 0.2 }]) {
      const plan = planSchedule(validateCacheConfig(config), STEPS, calibration);
      expect(plan.exact).toBe(false);
      expect(plan.computeSteps.some((c) => !c)).toBe(true);
      expect(drive(createCachePolicy(validateCacheConfig(config), calibration), steps, branches)).toEqual(plan.computeSteps);
    }
  });

  it('predicted error is the mean over steps of the stale-residual error, averaged over branches', () => {
    const schedule = deriveErtaSchedule(profile, 0.4);
    const plan = planSchedule(validateCacheConfig({ method: 'ertacache', lambda: 0.4 }), STEPS, calibration);
    const prompts = branches.map((b) => branchProfile(profile, b).prompts[0]);
    let total = 0;
    schedule.compute.forEach((c, k) => {
      if (c) return;
      for (const p of prompts) {
        if (p === undefined) throw new Error('missing');
        total += staleResidualError(p, schedule.source[k] as number, k) / 2;
      }
    });
    expect(plan.predictedError).toBeCloseTo(total / STEPS, 12);
    expect(plan.predictedError).toBeGreaterThan(0);
    expect(plan.predictedSpeedup).toBeCloseTo(STEPS / schedule.compute.filter(Boolean).length, 12);
  });

  it('needs a matching profile for calibrated methods', () => {
    expect(() => planSchedule(validateCacheConfig({ method: 'ertacache' }), STEPS)).toThrow(CacheConfigError);
    expect(() => planSchedule(validateCacheConfig({ method: 'magcache' }), STEPS, { profile, key: { ...keyFor(STEPS, 2), cfg: 5 } })).toThrow(CacheProfileError);
    expect(() => planSchedule(validateCacheConfig({ method: 'magcache' }), STEPS, { profile, key: { ...keyFor(STEPS, 2), cfg: 5 } })).toThrow(/CFG scale 2, this run uses 5/);
  });
});
