/**
 * ERTACache (b): the step-size coefficient φ of a reused step k whose residual comes from step j
 * (paper Eq. 9, with the ε guard reviewer 2 asked for):
 *   φ_k = clip(1 − ‖ṽ_k − v_k‖₁ / (‖v_k − v_{k−1}‖₁ + ε), 0, 1)
 * ṽ_k − v_k = r_j − r_k, so the numerator is the profile's residualDist(j, k) and the denominator
 * its outputDist(k−1, k): φ needs the true v_k at a skipped step, hence it is computed offline on
 * the calibration runs (the paper's code presumably does the same) and averaged over prompts (and,
 * with signal 'branches', over CFG branches; our choice, the sources do not say).
 * ε = 1e-6·‖v_k‖₁: relative, so φ does not depend on the latent's scale.
 */
import { strictPairIndex } from '../profile/pair-index';
import type { BranchProfile, PromptTrajectoryStats } from '../profile/profile-types';

export const PHI_EPSILON_RELATIVE = 1e-6;

/**
 * The denominator of φ: 'velocity-change' ‖v_k − v_{k−1}‖₁ (Eq. 9 as both papernotes and reviewer 2
 * quote it) or 'velocity' ‖v_k‖₁ (the Chinese note's variant).
 */
export type PhiReference = 'velocity-change' | 'velocity';

/** φ of one prompt for reused step k (k ≥ 1) with source j < k. */
export function promptPhi(p: PromptTrajectoryStats, j: number, k: number, reference: PhiReference): number {
  const staleError = p.residualDist[strictPairIndex(j, k)] as number;
  const scale = reference === 'velocity' ? (p.outputL1[k] as number) : (p.outputDist[strictPairIndex(k - 1, k)] as number);
  const eps = PHI_EPSILON_RELATIVE * (p.outputL1[k] as number) + Number.MIN_VALUE;
  return Math.min(1, Math.max(0, 1 - staleError / (scale + eps)));
}

/** Mean φ over all prompts of every series (erta-signal.ts: the guided output, or each CFG branch). */
export function meanPhi(series: readonly BranchProfile[], j: number, k: number, reference: PhiReference): number {
  let sum = 0;
  let n = 0;
  for (const b of series) {
    for (const p of b.prompts) {
      sum += promptPhi(p, j, k, reference);
      n++;
    }
  }
  return sum / n;
}
