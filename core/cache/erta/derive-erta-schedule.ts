/**
 * Everything ERTACache needs at inference for one λ, derived from a calibration profile alone
 * (pure: no model run, so the UI can sweep λ freely):
 *   (a) reuse set S with each reused step's source step: the paper's greedy rule (reuse-set.ts),
 *       or as many model calls placed for the least deviation (placed-reuse-set.ts),
 *   (b) φ per reused step (phi.ts); the time grid itself is built from the scheduler's σ grid
 *       when the run starts (time-grid.ts),
 *   (c) affine error models per reused step (rectification.ts), fitted on the guided output and
 *       subtracted from both CFG branches (signal 'guided'), or one per branch ('branches').
 * (b), (c) and the placed set read the series erta-signal.ts selects; the greedy rule always takes
 * the worst CFG branch, which measured better than the guided criterion (erta-signal.ts).
 */
import type { CacheProfile } from '../profile/profile-types';
import type { Branch } from '../types';
import { type ErtaSignal, ertaSeries } from './erta-signal';
import { type PhiReference, meanPhi } from './phi';
import { type AffineErrorModel, type RectificationGranularity, fitRectification } from './rectification';
import { requireMeasuredPlacementInput } from './measured-run-cost';
import { type PlacementCost, placedReuseSet } from './placed-reuse-set';
import { greedyReuseSet } from './reuse-set';

export interface ErtaSchedule {
  lambda: number;
  numSteps: number;
  /** How S was chosen: 'greedy' (the paper's λ test), or placed for the least 'proxy' cost or 'measured' reuse cost. */
  placement: 'greedy' | PlacementCost;
  /** Per step: true = run the model. Step 0 is always true; the greedy rule also computes step T−1, the placed set may reuse it. */
  compute: boolean[];
  /** Per step: the step whose residual is reused (the step itself when computed). */
  source: number[];
  /** Per step: the greedy criterion (mean over prompts, max over CFG branches) of the reused residual; 0 when computed. */
  error: number[];
  /** Per step: φ ∈ [0, 1] (1 when computed). */
  phi: number[];
  /** Per branch, per step: the error model to subtract from that branch's reused output (null when computed or rectification is off). With signal 'guided' both branches share the guided fit. */
  rectification: Partial<Record<Branch, (AffineErrorModel | null)[]>>;
}

export interface ErtaOptions {
  /** Rectification granularity, or 'off' (no error models). Default 'channel'. */
  rectification?: RectificationGranularity | 'off';
  /** φ's denominator (phi.ts). Default 'velocity'. */
  phiReference?: PhiReference;
  /** The series φ, rectification and the 'placed' reuse set read (erta-signal.ts). Default 'guided'. */
  signal?: ErtaSignal;
  /**
   * 'greedy' (the paper's rule, reuse-set.ts), 'placed' (as many calls, placed for the least
   * proxy cost G(σ)·Δt·e, placed-reuse-set.ts) or 'measured' (as many calls, placed for the least
   * reuse cost measured on the model during profiling). Default 'placed'.
   */
  reuseSet?: 'greedy' | 'placed' | 'measured';
}

export function deriveErtaSchedule(profile: CacheProfile, lambda: number, options: ErtaOptions = {}): ErtaSchedule {
  const granularity = options.rectification ?? 'channel';
  const reference = options.phiReference ?? 'velocity';
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`ERTACache λ must be a finite number ≥ 0, got ${lambda}`);
  const series = ertaSeries(profile, options.signal ?? 'guided');
  const branches = ertaSeries(profile, 'branches');
  const greedy = greedyReuseSet(branches, profile.key.steps, lambda);
  const rule = options.reuseSet ?? 'placed';
  const calls = greedy.compute.filter(Boolean).length;
  const { compute, source, error, cost } =
    rule === 'greedy' ? { ...greedy, cost: 'greedy' as const } : placedReuseSet(series, branches, profile.key.steps, profile.sigmas, calls, rule === 'measured' ? requireMeasuredPlacementInput(profile) : null);
  const phi = compute.map((c, k) => (c ? 1 : meanPhi(series, source[k] as number, k, reference)));
  const fits = series.map((s) => compute.map((c, k) => (c || granularity === 'off' ? null : fitRectification(s.pooled, source[k] as number, k, granularity))));
  // One series (guided, or no CFG) serves every branch; otherwise series i is branch i.
  const rectification: Partial<Record<Branch, (AffineErrorModel | null)[]>> = {};
  profile.branches.forEach((branch, i) => {
    rectification[branch] = (fits.length === 1 ? fits[0] : fits[i]) as (AffineErrorModel | null)[];
  });
  return { lambda, numSteps: profile.key.steps, placement: cost, compute, source, error, phi, rectification };
}
