/**
 * ERTACache at inference: a lookup, no online metric. The schedule (S, sources, φ, error models)
 * is derived once from the calibration profile for the config's λ (erta/derive-erta-schedule.ts).
 *   compute step: run the model, cache r = v − x per branch
 *   reused step:  ṽ = x + r;  v̂ = ṽ − (a·ṽ + c) per channel (unless rectification is off); with
 *                 signal 'guided' ṽ is the guided ṽ_u + s·(ṽ_c − ṽ_u) and the same correction is
 *                 subtracted from both branches, which moves the guided output by exactly it
 *   time:         sigmaGrid() gives the adjusted grid (unless timeAdjustment is off); the loop
 *                 samples on it via schedulerForCache, so reused steps integrate φ·Δ' and the
 *                 model is fed the adjusted time τ.
 */
import type { CacheConfigOf } from '../cache-config';
import { CacheProfileError } from '../cache-errors';
import { type ErtaSchedule, deriveErtaSchedule } from '../erta/derive-erta-schedule';
import { applyRectification } from '../erta/rectification';
import { adjustedSigmaGrid } from '../erta/time-grid';
import type { CacheProfile } from '../profile/profile-types';
import { applyGuidance } from '../../sampler/guidance';
import { requireBranch } from '../residual-store';
import type { Branch, CacheDecision, CacheStepContext } from '../types';
import { ResidualReusePolicy } from './residual-reuse-policy';

/** Relative tolerance when checking the run's σ grid against the profile's. */
const SIGMA_TOLERANCE = 1e-6;

export class ErtaCachePolicy extends ResidualReusePolicy {
  readonly method = 'ertacache';
  readonly schedule: ErtaSchedule;
  private readonly planeSize: number;
  private readonly profileSigmas: readonly number[] | null;
  /** CFG scale when rectification works on the guided output; null otherwise. */
  private readonly guidanceScale: number | null;

  constructor(
    readonly config: Readonly<CacheConfigOf<'ertacache'>>,
    profile: CacheProfile,
  ) {
    super();
    this.schedule = deriveErtaSchedule(profile, config.lambda, { rectification: config.rectification, phiReference: config.phiReference, signal: config.signal, reuseSet: config.reuseSet });
    this.planeSize = profile.latentShape[1] * profile.latentShape[2];
    this.profileSigmas = profile.sigmas;
    this.guidanceScale = config.signal === 'guided' && profile.branches.length === 2 ? profile.key.cfg : null;
  }

  protected choose(ctx: CacheStepContext): CacheDecision {
    if (ctx.numSteps !== this.schedule.numSteps) throw new CacheProfileError(`ertacache: the schedule was derived for ${this.schedule.numSteps} steps, this run uses ${ctx.numSteps}`);
    return this.schedule.compute[ctx.index] === true ? 'compute' : 'reuse';
  }

  override reuse(ctx: CacheStepContext): Map<Branch, Float32Array> {
    const out = this.store.rebuild(ctx.inputs);
    if (this.guidanceScale !== null && out.size === 2) return this.rectifyGuided(ctx.index, out, this.guidanceScale);
    for (const [branch, vTilde] of out) {
      const model = this.schedule.rectification[branch]?.[ctx.index];
      if (model != null) out.set(branch, applyRectification(vTilde, model, this.planeSize));
    }
    return out;
  }

  /** Subtracts the guided fit's correction, evaluated at the guided ṽ, from both branches. */
  private rectifyGuided(index: number, out: Map<Branch, Float32Array>, scale: number): Map<Branch, Float32Array> {
    const model = this.schedule.rectification.cond?.[index];
    if (model == null) return out;
    const uncond = requireBranch(out, 'uncond', 'reused outputs');
    const cond = requireBranch(out, 'cond', 'reused outputs');
    const guided = applyGuidance(uncond, cond, scale);
    const corrected = applyRectification(guided, model, this.planeSize);
    const correction = guided.map((g, i) => g - (corrected[i] as number));
    for (const [branch, v] of out) out.set(branch, v.map((x, i) => x - (correction[i] as number)));
    return out;
  }

  override sigmaGrid(nominal: ArrayLike<number>): Float64Array | undefined {
    if (!this.config.timeAdjustment) return undefined;
    const want = this.profileSigmas;
    if (want !== null) {
      const same = want.length === nominal.length && want.every((s, i) => Math.abs(s - (nominal[i] as number)) <= SIGMA_TOLERANCE * Math.max(1, Math.abs(s)));
      if (!same) throw new CacheProfileError("ertacache: the run's sigma schedule differs from the calibration profile's; recalibrate");
    }
    return adjustedSigmaGrid(nominal, this.schedule.compute, this.schedule.phi);
  }
}
