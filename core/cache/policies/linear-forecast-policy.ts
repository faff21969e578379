/**
 * The linear predictor at inference, for `linear` and `ertacache-forecast`: the schedule and the
 * per-step weights come from a predictor fitted on the calibration profile
 * (forecast/linear-predictor.ts); a computed step stores r = v − x per branch, a skipped step s
 * gets x_s + Σ_k w_k·r_{t_k} (+ α·x_s + β), per latent channel when the weights are.
 * Residuals are kept by step, so a fallback (an extra computed step) never shifts the sources
 * the weights were fitted for. Guard: the forecast may move from r_{t_1} at most κ times the
 * profiled band. With timeAdjustment the run samples on the φ grid (as ERTACache, erta/time-grid.ts).
 */
import type { CacheConfigOf } from '../cache-config';
import { CacheProfileError } from '../cache-errors';
import { adjustedSigmaGrid } from '../erta/time-grid';
import { forecastAccepted, l2Distance, l2Norm } from '../forecast/forecast-guard';
import { type LinearPredictor, type StepForecast, checkPredictorKey } from '../forecast/linear-predictor';
import type { CacheProfileKey } from '../profile/profile-types';
import { requireBranch, residualOf } from '../residual-store';
import type { Branch, CacheStepContext } from '../types';
import { ForecastPolicy } from './forecast-policy';

/** Relative tolerance when checking the run's σ grid against the profile's. */
const SIGMA_TOLERANCE = 1e-6;

type LinearConfig = CacheConfigOf<'linear'> | CacheConfigOf<'ertacache-forecast'>;

export class LinearForecastPolicy extends ForecastPolicy {
  readonly method: LinearConfig['method'];
  private residuals = new Map<Branch, Map<number, Float32Array>>();

  /**
   * @param key the run's key: a predictor fitted for another one is refused
   * @param profileSigmas the σ grid the profile was recorded on (null: not an Euler-type scheduler)
   * @throws CacheProfileError when the predictor does not fit the run
   */
  constructor(
    readonly config: Readonly<LinearConfig>,
    readonly predictor: LinearPredictor,
    key: CacheProfileKey,
    private readonly profileSigmas: readonly number[] | null,
  ) {
    super();
    this.method = config.method;
    checkPredictorKey(predictor, key, config.method);
  }

  protected resetState(): void {
    this.residuals = new Map();
  }

  protected planned(ctx: CacheStepContext): boolean {
    const T = this.predictor.compute.length;
    if (ctx.numSteps !== T) throw new CacheProfileError(`${this.method}: the linear predictor was fitted for ${T} steps, this run uses ${ctx.numSteps}`);
    return this.predictor.compute[ctx.index] === true;
  }

  protected predict(ctx: CacheStepContext): Map<Branch, Float32Array> | undefined {
    const out = new Map<Branch, Float32Array>();
    for (const [branch, x] of ctx.inputs) {
      const step = this.predictor.branches[branch]?.[ctx.index];
      if (step == null) throw new CacheProfileError(`${this.method}: the linear predictor has no ${branch} branch forecast for step ${ctx.index}`);
      const stored = requireBranch(this.residuals, branch, 'stored residuals');
      const sources = step.sources.map((s) => stored.get(s));
      if (sources.some((r) => r === undefined || r.length !== x.length)) return undefined;
      const anchor = sources[0] as Float32Array;
      const residual = applyForecast(step, sources as Float32Array[], x, this.predictor.inputTerm);
      if (!forecastAccepted(residual, l2Distance(residual, anchor), step.band * l2Norm(anchor), this.config.fallbackBand)) return undefined;
      for (let i = 0; i < residual.length; i++) residual[i] = (residual[i] as number) + (x[i] as number);
      out.set(branch, residual);
    }
    return out;
  }

  protected record(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void {
    for (const [branch, output] of outputs) {
      const input = requireBranch(ctx.inputs, branch, 'inputs');
      if (input.length !== output.length) throw new RangeError(`cache: ${branch} output has ${output.length} values, its input ${input.length}`);
      let stored = this.residuals.get(branch);
      if (stored === undefined) {
        stored = new Map();
        this.residuals.set(branch, stored);
      }
      stored.set(ctx.index, residualOf(input, output));
    }
  }

  override sigmaGrid(nominal: ArrayLike<number>): Float64Array | undefined {
    if (this.config.method !== 'ertacache-forecast' || !this.config.timeAdjustment) return undefined;
    const want = this.profileSigmas;
    if (want !== null) {
      const same = want.length === nominal.length && want.every((s, i) => Math.abs(s - (nominal[i] as number)) <= SIGMA_TOLERANCE * Math.max(1, Math.abs(s)));
      if (!same) throw new CacheProfileError(`${this.method}: the run's sigma schedule differs from the calibration profile's; recalibrate`);
    }
    return adjustedSigmaGrid(nominal, this.predictor.compute, this.predictor.phi);
  }
}

/** r̂ = Σ_k w_k·r_{t_k} (+ α·x + β), per channel c of [C, …] latents (planeSize = values per channel). */
export function applyForecast(step: StepForecast, sources: readonly Float32Array[], x: Float32Array, inputTerm: boolean): Float32Array {
  const channels = step.weights.length;
  const plane = x.length / channels;
  if (!Number.isInteger(plane)) throw new RangeError(`linear predictor: ${x.length} values do not split into ${channels} channels`);
  const out = new Float32Array(x.length);
  const K = sources.length;
  for (let c = 0; c < channels; c++) {
    const w = step.weights[c] as number[];
    const alpha = inputTerm ? (w[K] as number) : 0;
    const beta = inputTerm ? (w[K + 1] as number) : 0;
    for (let i = c * plane; i < (c + 1) * plane; i++) {
      let v = alpha * (x[i] as number) + beta;
      for (let k = 0; k < K; k++) v += (w[k] as number) * ((sources[k] as Float32Array)[i] as number);
      out[i] = v;
    }
  }
  return out;
}
