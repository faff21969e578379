/**
 * The forecasting methods through plans, the scheduler wrapper and a real sampling loop on an
 * analytic flow model (gaussian-mixture-denoisers.ts): calibrate on some seeds, compare final
 * latents against the uncached run on held-out seeds.
 */
import { describe, expect, it } from 'vitest';
import { validateCacheConfig } from '../../../core/cache/cache-config';
import { CacheConfigError } from '../../../core/cache/cache-errors';
import { createCachePolicy } from '../../../core/cache/create-cache-policy';
import { taylorSeerComputeSteps } from '../../../core/cache/forecast/forecast-schedules';
import { planSchedule } from '../../../core/cache/plan-schedule';
import { ProfileRecorder } from '../../../core/cache/profile/profile-recorder';
import type { CacheProfileKey } from '../../../core/cache/profile/profile-types';
import { schedulerForCache } from '../../../core/cache/scheduler-for-cache';
import { gaussianNoise } from '../../../core/noise/gaussian-noise';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { nominalSigmas } from '../../../core/sampler/custom-sigmas';
import { rms, sample } from './cached-sampling';
import { mixtureFlowDenoiser } from './gaussian-mixture-denoisers';

const SHAPE = [4, 8, 8] as const;
const SIZE = 256;
const STEPS = 20;
const CFG = 3;
const scheduler = createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 3 }, STEPS);
const denoiser = mixtureFlowDenoiser(SIZE, 4, 0.5, 1000);
const key: CacheProfileKey = { modelHash: 'mixture', scheduler: scheduler.className, steps: STEPS, shift: 3, cfg: CFG, width: 64, height: 64 };
const recorder = new ProfileRecorder({ key, latentShape: SHAPE, timesteps: scheduler.timesteps, sigmas: nominalSigmas(scheduler) });
for (const seed of [1, 2, 3, 4, 5, 6]) sample(scheduler, denoiser, gaussianNoise(seed, SIZE), CFG, undefined, recorder);
const profile = recorder.finish();
const calibration = { profile, key };

/** Mean RMS against the uncached run over held-out seeds, and the model calls of each run. */
function error(config: Record<string, unknown>): { rms: number; calls: number[] } {
  let total = 0;
  const calls: number[] = [];
  for (const seed of [101, 102, 103]) {
    const policy = createCachePolicy(validateCacheConfig(config), calibration);
    const full = sample(scheduler, denoiser, gaussianNoise(seed, SIZE), CFG).latents;
    const cached = sample(schedulerForCache(policy, scheduler), denoiser, gaussianNoise(seed, SIZE), CFG, policy);
    calls.push(cached.computed.length);
    total += rms(cached.latents, full) / 3;
  }
  return { rms: total, calls };
}

describe('forecasting caches end to end', () => {
  it('plans are exact and say that skipped steps are forecast', () => {
    const taylor = planSchedule(validateCacheConfig({ method: 'taylorseer', interval: 3, warmup: 2 }), STEPS);
    expect(taylor.computeSteps).toEqual(taylorSeerComputeSteps(STEPS, 2, 3));
    expect(taylor).toMatchObject({ skipped: 'forecast', exact: true, predictedError: null });
    for (const method of ['linear', 'ertacache-forecast']) {
      const plan = planSchedule(validateCacheConfig({ method, calls: 7 }), STEPS, calibration);
      expect(plan).toMatchObject({ modelCalls: 7, skipped: 'forecast', exact: true });
      expect(plan.predictedError).toBeGreaterThan(0);
      expect(plan.predictedError).toBeLessThan(1);
    }
    expect(planSchedule(validateCacheConfig({ method: 'fora', interval: 2 }), STEPS).skipped).toBe('reuse');
  });

  it('the fitted linear forecast beats plain reuse on the same uniform schedule, at exactly the planned calls', () => {
    const fitted = error({ method: 'linear', calls: 7, history: 3 });
    const reuse = error({ method: 'linear', calls: 7, history: 1, ridge: 10 });
    expect(fitted.calls).toEqual([7, 7, 7]);
    expect(fitted.rms).toBeLessThan(reuse.rms);
  });

  it('ERTACache with forecasting beats ERTACache at the same calls, and runs with time adjustment', () => {
    const calls = planSchedule(validateCacheConfig({ method: 'ertacache', lambda: 0.3 }), STEPS, calibration).modelCalls;
    const erta = error({ method: 'ertacache', lambda: 0.3 });
    const forecast = error({ method: 'ertacache-forecast', calls });
    expect(forecast.calls.every((c) => c === calls)).toBe(true);
    expect(forecast.rms).toBeLessThan(erta.rms);
    expect(Number.isFinite(error({ method: 'ertacache-forecast', calls, timeAdjustment: true }).rms)).toBe(true);
  });

  it('time adjustment needs an Euler-type scheduler', () => {
    const ddim = createScheduler({ _class_name: 'DDIMScheduler', num_train_timesteps: 1000 }, STEPS);
    const ddimKey = { ...key, scheduler: ddim.className, shift: 1 };
    const ddimProfile = { ...profile, key: ddimKey };
    const policy = createCachePolicy(validateCacheConfig({ method: 'ertacache-forecast', calls: 7, timeAdjustment: true }), { profile: ddimProfile, key: ddimKey });
    expect(() => schedulerForCache(policy, ddim)).toThrow(CacheConfigError);
    expect(() => schedulerForCache(policy, ddim)).toThrow('ertacache-forecast: time adjustment needs the flow-match Euler or Euler scheduler, not DDIMScheduler');
  });
});
