/**
 * The scheduler a cached run samples with: the scheduler itself, or — for ERTACache (with or
 * without forecasting) with time adjustment — the same Euler update over the policy's adjusted σ grid (core/sampler/custom-sigmas.ts).
 * Time adjustment needs an Euler-type scheduler (flow-match Euler or Euler-discrete); with DDIM or
 * DPM-Solver this throws instead of silently running without it.
 */
import { nominalSigmas, withSigmaGrid } from '../sampler/custom-sigmas';
import type { Scheduler } from '../sampler/types';
import { CacheConfigError } from './cache-errors';
import type { CachePolicy } from './types';

export function schedulerForCache(policy: CachePolicy, scheduler: Scheduler): Scheduler {
  if (!('timeAdjustment' in policy.config) || !policy.config.timeAdjustment) return scheduler;
  const nominal = nominalSigmas(scheduler);
  if (nominal === undefined) {
    throw new CacheConfigError(`${policy.method}: time adjustment needs the flow-match Euler or Euler scheduler, not ${scheduler.className}; pick one of those or turn time adjustment off`);
  }
  const grid = policy.sigmaGrid(nominal);
  return grid === undefined ? scheduler : withSigmaGrid(scheduler, grid);
}
