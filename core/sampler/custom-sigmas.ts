/**
 * Euler over an explicit sigma grid, for the two samplers whose update is one plain Euler step in
 * σ: flow-match Euler (x_σ = (1−σ)·x₀ + σ·noise, model predicts v) and Euler-discrete
 * (x = x₀ + σ·noise in VE form, model predicts ε, v or x₀).
 *
 * Why: ERTACache's trajectory-aware time adjustment (core/cache/erta/time-grid.ts) shrinks the
 * integration step of reused steps and spreads the remaining time over later steps, so the run
 * samples on a grid τ₀ > τ₁ ≥ … ≥ τ_N that is not the scheduler's own. The update, model input
 * scaling and timestep fed to the model are those of the base scheduler, evaluated at τ:
 *   flow:  x' = x + (τ_{i+1} − τ_i)·v,   model input x,            timestep τ_i·T_train
 *   euler: x' = x + (x − x̂₀)/τ_i·(τ_{i+1} − τ_i), input x/√(τ_i²+1), timestep t with σ(t) = τ_i
 *          (σ(t) = linear interpolation of the training σ table; inverted by bisection, so t is
 *          fractional; a grid point equal to the base's own σ_i feeds the base's own timestep).
 * On the base scheduler's own grid the results are identical, bit for bit, to the base scheduler.
 * DDIM and DPM-Solver are multistep/non-Euler updates and are not supported here.
 */
import { asConfigObject, readInteger } from './config-fields';
import { EulerDiscreteScheduler, eulerSigmaStep, readEulerSettings, sigmaTable } from './euler-discrete';
import { FlowMatchEulerScheduler } from './flow-match-euler';
import { sigmaSpaceAlphasCumprod } from './noise-schedule-config';
import { checkSameLength, checkStepIndex } from './step-checks';
import { EulerFamilyScheduler } from './euler-family';
import type { PredictionType, Scheduler } from './types';

/** The base scheduler's own σ grid (length numSteps + 1), or undefined when it is not a plain Euler sampler. */
export function nominalSigmas(s: Scheduler): Float64Array | undefined {
  if (s instanceof FlowMatchEulerScheduler || s instanceof EulerDiscreteScheduler) return s.sigmas.slice();
  if (s instanceof SigmaGridEulerScheduler) return s.sigmas.slice();
  return undefined;
}

/**
 * A scheduler running `base`'s Euler update over `sigmas` (length base.numSteps + 1, non-increasing,
 * first value equal to the base's first σ so the initial noise scale is unchanged).
 * @throws RangeError when base is not flow-match Euler / Euler-discrete or the grid is malformed.
 */
export function withSigmaGrid(base: Scheduler, sigmas: ArrayLike<number>): SigmaGridEulerScheduler {
  const own = nominalSigmas(base);
  if (own === undefined) throw new RangeError(`a custom sigma grid needs a flow-match Euler or Euler scheduler, not ${base.className}`);
  if (sigmas.length !== own.length) throw new RangeError(`sigma grid has ${sigmas.length} values, expected ${own.length} (steps + 1)`);
  const grid = Float64Array.from(sigmas);
  for (let i = 0; i < grid.length; i++) {
    const s = grid[i] as number;
    if (!Number.isFinite(s) || s < 0) throw new RangeError(`sigma grid value ${i} is ${s}; sigmas must be finite and ≥ 0`);
    if (i > 0 && s > (grid[i - 1] as number)) throw new RangeError(`sigma grid increases at ${i} (${grid[i - 1]} → ${s})`);
  }
  if (grid[0] !== own[0]) throw new RangeError(`sigma grid starts at ${grid[0]}, the scheduler at ${own[0]}; the initial noise would be mis-scaled`);
  return new SigmaGridEulerScheduler(base, own, grid);
}

export class SigmaGridEulerScheduler extends EulerFamilyScheduler {
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly predictionType: PredictionType;
  readonly numSteps: number;
  readonly timesteps: Float64Array;
  readonly initNoiseSigma: number;
  /** The grid sampled on, length numSteps + 1. */
  readonly sigmas: Float64Array;

  constructor(base: Scheduler, own: Float64Array, grid: Float64Array) {
    super();
    this.className = base.className;
    this.config = base.config;
    this.predictionType = base.predictionType;
    this.numSteps = base.numSteps;
    this.initNoiseSigma = base.initNoiseSigma;
    this.sigmas = grid;
    const trainSteps = readInteger(asConfigObject(base.config), 'num_train_timesteps', 1000, 1);
    const toTimestep = base.predictionType === 'flow' ? (s: number) => Math.fround(s * trainSteps) : timestepOfSigma(base.config);
    this.timesteps = new Float64Array(this.numSteps);
    for (let i = 0; i < this.numSteps; i++) {
      const s = grid[i] as number;
      this.timesteps[i] = s === own[i] ? (base.timesteps[i] as number) : toTimestep(s);
    }
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    if (this.predictionType === 'flow') return sample.slice();
    const sigma = this.sigmas[stepIndex] as number;
    const scale = Math.sqrt(sigma * sigma + 1);
    return sample.map((x) => x / scale);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    checkSameLength(modelOutput, sample);
    const sigma = this.sigmas[stepIndex] as number;
    const sigmaNext = this.sigmas[stepIndex + 1] as number;
    this.nextStepIndex = stepIndex + 1;
    if (this.predictionType === 'flow') return sample.map((x, i) => x + (sigmaNext - sigma) * (modelOutput[i] as number));
    return eulerSigmaStep(modelOutput, sample, sigma, sigmaNext, this.predictionType);
  }
}

/** Inverse of Euler-discrete's σ(t) (linear interpolation of the increasing training σ table), clamped to [0, T−1]. */
function timestepOfSigma(config: Readonly<Record<string, unknown>>): (sigma: number) => number {
  const table = sigmaTable(sigmaSpaceAlphasCumprod(readEulerSettings(asConfigObject(config))));
  const last = table.length - 1;
  return (sigma) => {
    if (sigma <= (table[0] as number)) return 0;
    if (sigma >= (table[last] as number)) return last;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((table[mid] as number) <= sigma) lo = mid;
      else hi = mid;
    }
    const a = table[lo] as number;
    const b = table[hi] as number;
    return lo + (sigma - a) / (b - a);
  };
}
