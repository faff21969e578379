/**
 * The error of reusing step j's residual at a later step k, read from a profile: ṽ_k − v_k =
 * (x_k + r_j) − (x_k + r_k) = r_j − r_k, so its L1 norm is exactly residualDist(j, k) and
 *   e(j, k) = ‖r_j − r_k‖₁ / ‖r_k‖₁          (ERTACache Eq. 7 with the r_gt denominator)
 * This is ERTACache's greedy criterion and the error measure of every plan.
 */
import { ratioOrInfinity } from '../../metrics/rel-l1';
import { strictPairIndex } from './pair-index';
import type { BranchProfile, PromptTrajectoryStats } from './profile-types';

/** e(j, k) for one prompt; 0 when j = k (nothing is stale). */
export function staleResidualError(p: PromptTrajectoryStats, j: number, k: number): number {
  if (j === k) return 0;
  return ratioOrInfinity(p.residualDist[strictPairIndex(j, k)] as number, p.residualL1[k] as number);
}

/** Mean of e(j, k) over a branch's calibration prompts. */
export function meanStaleResidualError(b: BranchProfile, j: number, k: number): number {
  let sum = 0;
  for (const p of b.prompts) sum += staleResidualError(p, j, k);
  return sum / b.prompts.length;
}
