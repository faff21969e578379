/**
 * Which steps the forecasting methods compute, fixed before the run (per step, true = run the
 * model), shared by the policies and planSchedule so a plan is what the run does.
 */
import { type ErtaSignal, ertaSeries } from '../erta/erta-signal';
import { placedReuseSet } from '../erta/placed-reuse-set';
import type { CacheProfile } from '../profile/profile-types';

/**
 * TaylorSeer's published rule: the first `warmup` steps are computed (first_enhance), then one
 * step every `interval` counting from the last warm-up step; no final step is forced.
 */
export function taylorSeerComputeSteps(numSteps: number, warmup: number, interval: number): boolean[] {
  return Array.from({ length: numSteps }, (_, i) => i < warmup || (i - (warmup - 1)) % interval === 0);
}

/** The warm-up and interval that give the most model calls ≤ `calls` for `numSteps`, searching intervals 1..numSteps. */
export function taylorSeerIntervalFor(numSteps: number, warmup: number, calls: number): number {
  for (let n = 1; n <= numSteps; n++) if (taylorSeerComputeSteps(numSteps, warmup, n).filter(Boolean).length <= calls) return n;
  return numSteps;
}

/** `calls` steps spread evenly from step 0: round(i·T/N), i = 0..N−1 (FORA's pattern when N divides T). */
export function uniformComputeSteps(numSteps: number, calls: number): boolean[] {
  const n = Math.max(1, Math.min(numSteps, Math.round(calls)));
  const compute = new Array<boolean>(numSteps).fill(false);
  for (let i = 0; i < n; i++) compute[Math.min(numSteps - 1, Math.round((i * numSteps) / n))] = true;
  return compute;
}

/** `calls` steps spread evenly over the whole run, the first and the last included: round(i·(T−1)/(N−1)), i = 0..N−1. */
export function spreadComputeSteps(numSteps: number, calls: number): boolean[] {
  const n = Math.max(2, Math.min(numSteps, Math.round(calls)));
  const compute = new Array<boolean>(numSteps).fill(false);
  for (let i = 0; i < n; i++) compute[Math.round((i * (numSteps - 1)) / (n - 1))] = true;
  return compute;
}

/** ERTACache's profiled placement (erta/placed-reuse-set.ts) of `calls` model calls, on the series `signal` selects. */
export function placedComputeSteps(profile: CacheProfile, calls: number, signal: ErtaSignal): boolean[] {
  return placedReuseSet(ertaSeries(profile, signal), ertaSeries(profile, 'branches'), profile.key.steps, profile.sigmas, calls).compute;
}
