/**
 * ERTACache (a): the static reuse set S for a threshold λ, by the greedy replay of the paper's
 * offline profiling, over recorded statistics only (no model run), so any λ can be tried:
 *   last = 0 (step 0 computed)
 *   for k = 1..T−2: e = max over CFG branches of mean over prompts of ‖r_last − r_k‖₁ / ‖r_k‖₁
 *                   e < λ → k ∈ S (reuse r_last);  else compute, last = k
 *   step T−1 is always computed.
 * Choices (the sources leave them open, see shared/reference/ertacache.md): prompts are combined
 * by the mean of the relative error (not a vote); CFG branches by the max, so a step is reused
 * only when it is safe for both; the criterion is per step, not TeaCache-style accumulated.
 */
import type { BranchProfile } from '../profile/profile-types';
import { meanStaleResidualError } from '../profile/reuse-error';

export interface ReuseSet {
  /** Per step: true = run the model. */
  compute: boolean[];
  /** Per step: the step whose residual is used (the step itself when computed). */
  source: number[];
  /** Per step: the greedy criterion e(source, k) (0 when computed). */
  error: number[];
}

/** @param branches each CFG branch's stats (erta-signal.ts ertaSeries(profile, 'branches')) */
export function greedyReuseSet(branches: readonly BranchProfile[], T: number, lambda: number): ReuseSet {
  const compute: boolean[] = [true];
  const source: number[] = [0];
  const error: number[] = [0];
  let last = 0;
  for (let k = 1; k < T; k++) {
    const e = k === T - 1 ? Infinity : Math.max(...branches.map((b) => meanStaleResidualError(b, last, k)));
    if (e < lambda) {
      compute.push(false);
      source.push(last);
      error.push(e);
    } else {
      compute.push(true);
      source.push(k);
      error.push(0);
      last = k;
    }
  }
  return { compute, source, error };
}
