/**
 * Which output series ERTACache's φ (b), rectification (c) and 'placed' reuse set are fitted on. Under CFG a reused
 * step rebuilds both branches from their cached residuals and the sampler integrates the guided output
 *   g = u + s·(c − u),  s the guidance scale,
 * so the reuse error that reaches the trajectory is the guided one:
 *   ε_g = ε_u + s·(ε_c − ε_u).
 * The two branch errors are strongly correlated (same input, similar outputs) and largely cancel
 * in ε_c − ε_u; fitting each branch on its own ignores that, and the fit's own errors, which do
 * not cancel, are amplified by s (with s = 5: 5·e_c − 4·e_u). Measured on the first emoji model (50
 * steps, cfg 5, 16 NFE, 4 held-out prompts): per-branch rectification lowered PSNR against
 * uncached from 42.3 dB (reuse set alone) to 37.5 dB; fitted on the guided output it raised it.
 * So by default φ and rectification read the guided series (profile.guided), and the guided
 * correction is subtracted from both branches, which shifts g by exactly the correction:
 * (u − e) + s·((c − e) − (u − e)) = g − e.
 * The greedy reuse set is not affected: it takes the worst branch, which gave better schedules
 * than the guided criterion in the same measurement (42.3 vs 40.5 dB at 16 NFE, reuse set alone).
 *   'guided'   — [profile.guided] (falls back to the branches when there is no CFG, where the
 *                cond branch is the guided output)
 *   'branches' — every CFG branch on its own
 */
import { CacheProfileError } from '../cache-errors';
import { type BranchProfile, type CacheProfile, branchProfile } from '../profile/profile-types';

export type ErtaSignal = 'guided' | 'branches';

/** The series to fit on, each a BranchProfile. @throws CacheProfileError for 'guided' on a CFG profile recorded without the guided series. */
export function ertaSeries(profile: CacheProfile, signal: ErtaSignal): BranchProfile[] {
  if (signal === 'guided' && profile.branches.length > 1) {
    if (profile.guided === null) throw new CacheProfileError('ertacache: this profile has no guided-output statistics (recorded by an older version); profile the model again, or set the ERTACache signal to "branches"');
    return [profile.guided];
  }
  return profile.branches.map((b) => branchProfile(profile, b));
}
