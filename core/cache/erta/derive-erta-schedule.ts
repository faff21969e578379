/**
 * Everything ERTACache needs at inference for one λ, derived from a calibration profile alone
 * (pure: no model run, so the UI can sweep λ freely):
 *   (a) reuse set S (greedy, reuse-set.ts) with each reused step's source step,
 *   (b) φ per reused step (phi.ts); the time grid itself is built from the scheduler's σ grid
 *       when the run starts (time-grid.ts),
 *   (c) per-branch affine error models per reused step (rectification.ts).
 */
import { type CacheProfile, branchProfile } from '../profile/profile-types';
import type { Branch } from '../types';
import { type PhiReference, meanPhi } from './phi';
import { type AffineErrorModel, type RectificationGranularity, fitRectification } from './rectification';
import { greedyReuseSet } from './reuse-set';

export interface ErtaSchedule {
  lambda: number;
  numSteps: number;
  /** Per step: true = run the model. Step 0 and step T−1 are always true. */
  compute: boolean[];
  /** Per step: the step whose residual is reused (the step itself when computed). */
  source: number[];
  /** Per step: the greedy criterion (mean over prompts, max over branches) of the reused residual; 0 when computed. */
  error: number[];
  /** Per step: φ ∈ [0, 1] (1 when computed). */
  phi: number[];
  /** Per branch, per step: the error model (null when computed or rectification is off). */
  rectification: Partial<Record<Branch, (AffineErrorModel | null)[]>>;
}

export interface ErtaOptions {
  /** Rectification granularity, or 'off' (no error models). Default 'channel'. */
  rectification?: RectificationGranularity | 'off';
  /** φ's denominator (phi.ts). Default 'velocity'. */
  phiReference?: PhiReference;
}

export function deriveErtaSchedule(profile: CacheProfile, lambda: number, options: ErtaOptions = {}): ErtaSchedule {
  const granularity = options.rectification ?? 'channel';
  const reference = options.phiReference ?? 'velocity';
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`ERTACache λ must be a finite number ≥ 0, got ${lambda}`);
  const { compute, source, error } = greedyReuseSet(profile, lambda);
  const phi = compute.map((c, k) => (c ? 1 : meanPhi(profile, source[k] as number, k, reference)));
  const rectification: Partial<Record<Branch, (AffineErrorModel | null)[]>> = {};
  for (const branch of profile.branches) {
    const pooled = branchProfile(profile, branch).pooled;
    rectification[branch] = compute.map((c, k) => (c || granularity === 'off' ? null : fitRectification(pooled, source[k] as number, k, granularity)));
  }
  return { lambda, numSteps: profile.key.steps, compute, source, error, phi, rectification };
}
