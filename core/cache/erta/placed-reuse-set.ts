/**
 * ERTACache (a), placement variant 'placed': the same number of model calls as the greedy rule
 * (reuse-set.ts) gives for λ, placed to minimise the deviation that reuse leaves in the
 * trajectory. The paper's error analysis: a run of reused steps j+1..k−1 after a computed step j
 * moves x by δ = Σ_i Δt_i·ε_i, with ε_i = r_j − r_i the stale residual's error. We minimise
 *   cost(S) = Σ over runs of ( Σ_{i in run} Δt_i · mean over prompts of ‖r_j − r_i‖₁ )²
 * summed over the series, with Δt_i = σ_i − σ_{i+1} (1 without a σ grid). Squared per run because
 * the deviation feeds every later model call and the image error that PSNR measures is
 * quadratic; it makes long runs expensive.
 * Why not the greedy rule: it bounds each reused step's RELATIVE error by λ, so it reuses long
 * runs where ‖r_k‖ is large even when the absolute error that reaches the trajectory is large
 * there too. On the bundled emoji model it lost to evenly spaced FORA at equal model calls (README).
 * Exact minimum by dynamic programming over (steps computed so far, last computed step):
 * O(N·T²) time for N computed steps of T, a few ms for T = 50. Steps 0 and T−1 are always computed.
 */
import { strictPairIndex } from '../profile/pair-index';
import type { BranchProfile } from '../profile/profile-types';
import { meanStaleResidualError } from '../profile/reuse-error';
import type { ReuseSet } from './reuse-set';

/** Δt_k · mean ‖r_j − r_k‖₁ summed over the series: what reusing step j's residual at step k adds to the run's deviation. */
function reuseCost(series: readonly BranchProfile[], weights: readonly number[], j: number, k: number): number {
  let sum = 0;
  for (const b of series) {
    let mean = 0;
    for (const p of b.prompts) mean += p.residualDist[strictPairIndex(j, k)] as number;
    sum += mean / b.prompts.length;
  }
  return (weights[k] as number) * sum;
}

/**
 * @param series what the cost is measured on (erta-signal.ts)
 * @param branches the CFG branches, for `error` (the greedy criterion, so plans stay comparable)
 * @param sigmas the σ grid (length T + 1) or null for equal step weights
 * @param computed how many steps to compute, 2..T (clamped)
 */
export function placedReuseSet(series: readonly BranchProfile[], branches: readonly BranchProfile[], steps: number, sigmas: readonly number[] | null, computed: number): ReuseSet {
  const T = steps;
  const N = Math.min(T, Math.max(Math.min(2, T), Math.round(computed)));
  const weights = Array.from({ length: T }, (_, k) => (sigmas === null ? 1 : Math.abs((sigmas[k] as number) - (sigmas[k + 1] as number))));
  // run[j][k]: cost of computing j, reusing j+1..k−1, computing k next: (Σ Δt_i·‖ε_i‖₁)².
  const run: number[][] = Array.from({ length: T }, (_, j) => {
    const row = new Array<number>(T).fill(0);
    let deviation = 0;
    for (let k = j + 1; k < T; k++) {
      row[k] = deviation * deviation;
      deviation += reuseCost(series, weights, j, k);
    }
    return row;
  });
  // best[c][k]: least cost of steps 0..k with k the c-th computed step (c = 1 is step 0).
  const best = Array.from({ length: N + 1 }, () => new Array<number>(T).fill(Infinity));
  const from = Array.from({ length: N + 1 }, () => new Array<number>(T).fill(-1));
  (best[1] as number[])[0] = 0;
  for (let c = 2; c <= N; c++) {
    for (let k = c - 1; k < T; k++) {
      for (let j = c - 2; j < k; j++) {
        const cost = ((best[c - 1] as number[])[j] as number) + ((run[j] as number[])[k] as number);
        if (cost < ((best[c] as number[])[k] as number)) {
          (best[c] as number[])[k] = cost;
          (from[c] as number[])[k] = j;
        }
      }
    }
  }
  const compute = new Array<boolean>(T).fill(false);
  for (let c = N, k = T - 1; c >= 1 && k >= 0; k = (from[c] as number[])[k] as number, c--) compute[k] = true;
  compute[0] = true;
  const source: number[] = [];
  const error: number[] = [];
  let last = 0;
  for (let k = 0; k < T; k++) {
    if (compute[k]) last = k;
    source.push(last);
    error.push(compute[k] ? 0 : Math.max(...branches.map((b) => meanStaleResidualError(b, last, k))));
  }
  return { compute, source, error };
}
