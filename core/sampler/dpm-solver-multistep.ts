/**
 * DPM-Solver++(2M) (Lu et al. 2022) as diffusers' DPMSolverMultistepScheduler runs it with
 * solver_order 2 and algorithm_type "dpmsolver++" (data prediction, no noise).
 *
 * Schedule: integer timesteps (see dpmSolverTimesteps), σ = √((1−ᾱ_t)/ᾱ_t) at each (float32,
 * as diffusers), then a final σ = 0 ("zero") or σ(0) ("sigma_min"). The latent is in VP form:
 *   α = 1/√(σ²+1), s = σ·α, λ = log α − log s
 * The model output becomes a data prediction D = x̂₀:
 *   epsilon: (x − s·ε)/α     v_prediction: α·x − s·v     sample: out
 * From step i (σ_i) to σ_{i+1}, with h = λ_{i+1} − λ_i:
 *   1st order: x' = (s_{i+1}/s_i)·x − α_{i+1}·(e^{−h} − 1)·D_i
 *   2nd order: r = (λ_i − λ_{i−1})/h, D1 = (D_i − D_{i−1})/r,
 *     midpoint: x' = (s_{i+1}/s_i)·x − α_{i+1}(e^{−h}−1)·D_i − ½·α_{i+1}(e^{−h}−1)·D1
 *     heun:     x' = (s_{i+1}/s_i)·x − α_{i+1}(e^{−h}−1)·D_i + α_{i+1}((e^{−h}−1)/h + 1)·D1
 * First order is used at step 0, at the last step when final_sigmas_type is "zero", or
 * euler_at_final, or lower_order_final with fewer than 15 steps; otherwise second order. At
 * σ_{i+1} = 0: α = 1, s = 0, λ = +∞, e^{−h} = 0, so x' = D_i exactly.
 * The model input is the latent itself and the initial noise std is 1.
 */
import {
  type ConfigObject,
  readBoolean,
  readEnum,
  readNumber,
  requireSupported,
} from './config-fields';
import { FINAL_SIGMAS_TYPES, type FinalSigmasType, rejectAlternativeSigmas, sigmaTable } from './euler-discrete';
import { type NoiseScheduleSettings, readNoiseSchedule, sigmaSpaceAlphasCumprod } from './noise-schedule-config';
import { checkSameLength, checkStepIndex, checkSteps, checkTimesteps } from './step-checks';
import { dpmSolverTimesteps } from './timestep-spacing';
import { checkImportedState } from './scheduler-state';
import type { PredictionType, Scheduler, SchedulerState, StepCoefficients } from './types';

export const DPM_SOLVER_TYPES = ['midpoint', 'heun'] as const;
export type DpmSolverType = (typeof DPM_SOLVER_TYPES)[number];

export interface DpmSolverSettings extends NoiseScheduleSettings {
  /** Always 2 here: we run the 2M solver whatever order the source config asked for. */
  solver_order: 2;
  /** Always "dpmsolver++": the deterministic data-prediction solver. */
  algorithm_type: 'dpmsolver++';
  solver_type: DpmSolverType;
  lower_order_final: boolean;
  euler_at_final: boolean;
  final_sigmas_type: FinalSigmasType;
  /** Drop timesteps whose λ is below this; −∞ (stored as null, since JSON has no infinity) keeps all. */
  lambda_min_clipped: number | null;
}

/**
 * DPMSolverMultistepScheduler's fields with its defaults. solver_order and algorithm_type are
 * forced to the 2M / dpmsolver++ this studio implements (the effective config records that);
 * solver_type "logrho", "bh1", "bh2" (DEIS / UniPC names) become "midpoint" exactly as diffusers
 * does when converting those configs.
 */
export function readDpmSolverSettings(c: ConfigObject): DpmSolverSettings {
  rejectAlternativeSigmas(c);
  requireSupported(c, 'use_lu_lambdas', false, 'only the default interpolated sigmas are implemented');
  requireSupported(c, 'use_flow_sigmas', false, 'flow sigmas mean a flow-matching model; use flow-euler');
  requireSupported(c, 'variance_type', null, 'learned variance outputs are not implemented');
  const rawClip = c['lambda_min_clipped'];
  const clipped = rawClip === null || rawClip === -Infinity ? -Infinity : readNumber(c, 'lambda_min_clipped', -Infinity);
  return {
    ...readNoiseSchedule(c, 'linspace'),
    solver_order: 2,
    algorithm_type: 'dpmsolver++',
    solver_type: readEnum(c, 'solver_type', DPM_SOLVER_TYPES, 'midpoint', { logrho: 'midpoint', bh1: 'midpoint', bh2: 'midpoint' }),
    lower_order_final: readBoolean(c, 'lower_order_final', true),
    euler_at_final: readBoolean(c, 'euler_at_final', false),
    final_sigmas_type: readEnum(c, 'final_sigmas_type', FINAL_SIGMAS_TYPES, 'zero'),
    lambda_min_clipped: clipped === -Infinity ? null : clipped,
  };
}

/** λ(σ) = log α − log s with α = 1/√(σ²+1), s = σα. */
function lambdaOf(sigma: number): number {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  return Math.log(alpha) - Math.log(sigma * alpha);
}

export class DpmSolverMultistepScheduler implements Scheduler {
  readonly className = 'DPMSolverMultistepScheduler';
  readonly config: Readonly<Record<string, unknown>>;
  readonly predictionType: PredictionType;
  readonly numSteps: number;
  readonly timesteps: Float64Array;
  readonly initNoiseSigma = 1;
  /** σ per step plus the final σ (length numSteps + 1), float32 values. */
  readonly sigmas: Float64Array;
  private readonly settings: DpmSolverSettings;
  /** Data prediction of the previous step (D_{i−1}), null before the first step. */
  private previousData: Float32Array | null = null;
  private nextStepIndex = 0;

  constructor(settings: DpmSolverSettings, steps: number, config: Readonly<Record<string, unknown>>) {
    const T = settings.num_train_timesteps;
    checkSteps(steps, T);
    this.settings = settings;
    this.config = config;
    this.predictionType = settings.prediction_type;
    const alphaBar = sigmaSpaceAlphasCumprod(settings);
    const table = sigmaTable(alphaBar);
    const lastTimestep = T - countBelow(table, settings.lambda_min_clipped ?? -Infinity);
    this.timesteps = dpmSolverTimesteps(settings.timestep_spacing, T, lastTimestep, steps, settings.steps_offset);
    checkTimesteps(this.timesteps, T, true, `DPM-Solver++ with ${steps} steps and timestep_spacing "${settings.timestep_spacing}"`);
    this.numSteps = this.timesteps.length;
    this.sigmas = new Float64Array(this.numSteps + 1);
    this.timesteps.forEach((t, i) => {
      this.sigmas[i] = Math.fround(table[t] as number);
    });
    this.sigmas[this.numSteps] = settings.final_sigmas_type === 'zero' ? 0 : Math.fround(table[0] as number);
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    return sample.slice();
  }

  /** First-order (DPM-Solver++ 1, i.e. DDIM in λ) part: x' = ratio·x + c·D, D linear in x and the output. */
  stepCoefficients(stepIndex: number): StepCoefficients {
    checkStepIndex(stepIndex, this.numSteps);
    const { ratio, alphaNext, h } = this.coefficients(stepIndex);
    const dataCoef = -alphaNext * (Math.exp(-h) - 1);
    const sigma = this.sigmas[stepIndex] as number;
    const alpha = 1 / Math.sqrt(sigma * sigma + 1);
    const s = sigma * alpha;
    if (this.predictionType === 'epsilon') return { a: ratio + dataCoef / alpha, b: (-dataCoef * s) / alpha };
    if (this.predictionType === 'v_prediction') return { a: ratio + dataCoef * alpha, b: -dataCoef * s };
    return { a: ratio, b: dataCoef };
  }

  needsNoise(stepIndex: number): boolean {
    checkStepIndex(stepIndex, this.numSteps);
    return false;
  }

  stepNoiseStd(stepIndex: number): number {
    checkStepIndex(stepIndex, this.numSteps);
    return 0;
  }

  exportState(): SchedulerState {
    const history = this.previousData === null ? [] : [this.previousData.slice()];
    return { className: this.className, numSteps: this.numSteps, nextStepIndex: this.nextStepIndex, history };
  }

  /** Takes over D_{i−1}, so the second-order update continues exactly as in one instance. */
  importState(state: SchedulerState): void {
    checkImportedState(this, state);
    if (state.history.length > 1) throw new RangeError(`DPM-Solver++(2M) keeps one previous data prediction; the state has ${state.history.length}`);
    if (state.nextStepIndex > 0 && state.history.length === 0) throw new RangeError(`DPM-Solver++ state at step ${state.nextStepIndex} has no previous data prediction`);
    this.previousData = state.history[0]?.slice() ?? null;
    this.nextStepIndex = state.nextStepIndex;
  }

  /** Whether step i uses the first-order update (diffusers' lower_order_final rule). */
  usesFirstOrder(stepIndex: number): boolean {
    const { euler_at_final, lower_order_final, final_sigmas_type } = this.settings;
    const isLast = stepIndex === this.numSteps - 1;
    const lowerOrderFinal = isLast && (euler_at_final || (lower_order_final && this.numSteps < 15) || final_sigmas_type === 'zero');
    return stepIndex === 0 || lowerOrderFinal;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    checkSameLength(modelOutput, sample);
    if (stepIndex === 0) this.previousData = null;
    else if (stepIndex !== this.nextStepIndex) {
      throw new RangeError(`DPM-Solver++ steps must run in order: expected step ${this.nextStepIndex}, got ${stepIndex}`);
    }
    const data = this.dataPrediction(modelOutput, stepIndex, sample);
    const previous = this.previousData;
    const out = previous === null || this.usesFirstOrder(stepIndex)
      ? this.firstOrder(stepIndex, sample, data)
      : this.secondOrder(stepIndex, sample, data, previous);
    this.previousData = data;
    this.nextStepIndex = stepIndex + 1;
    return out;
  }

  /** D = x̂₀ from the model output, rounded to float32 as diffusers keeps it. */
  private dataPrediction(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array {
    const sigma = this.sigmas[stepIndex] as number;
    const alpha = 1 / Math.sqrt(sigma * sigma + 1);
    const s = sigma * alpha;
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i] as number;
      const m = modelOutput[i] as number;
      if (this.predictionType === 'epsilon') out[i] = (x - s * m) / alpha;
      else if (this.predictionType === 'v_prediction') out[i] = alpha * x - s * m;
      else out[i] = m;
    }
    return out;
  }

  private firstOrder(stepIndex: number, sample: Float32Array, data: Float32Array): Float32Array {
    const { ratio, alphaNext, h } = this.coefficients(stepIndex);
    const dataCoef = -alphaNext * (Math.exp(-h) - 1);
    return sample.map((x, i) => ratio * x + dataCoef * (data[i] as number));
  }

  private secondOrder(stepIndex: number, sample: Float32Array, data: Float32Array, previous: Float32Array): Float32Array {
    const { ratio, alphaNext, h } = this.coefficients(stepIndex);
    const hPrevious = lambdaOf(this.sigmas[stepIndex] as number) - lambdaOf(this.sigmas[stepIndex - 1] as number);
    const r = hPrevious / h;
    const expm1 = Math.exp(-h) - 1;
    const dataCoef = -alphaNext * expm1;
    const diffCoef = this.settings.solver_type === 'midpoint' ? -0.5 * alphaNext * expm1 : alphaNext * (expm1 / h + 1);
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const d0 = data[i] as number;
      const d1 = (d0 - (previous[i] as number)) / r;
      out[i] = ratio * (sample[i] as number) + dataCoef * d0 + diffCoef * d1;
    }
    return out;
  }

  /** s_{i+1}/s_i, α_{i+1} and h = λ_{i+1} − λ_i for the move from step i to i+1. */
  private coefficients(stepIndex: number): { ratio: number; alphaNext: number; h: number } {
    const sigma = this.sigmas[stepIndex] as number;
    const sigmaNext = this.sigmas[stepIndex + 1] as number;
    const alpha = 1 / Math.sqrt(sigma * sigma + 1);
    const alphaNext = 1 / Math.sqrt(sigmaNext * sigmaNext + 1);
    const ratio = (sigmaNext * alphaNext) / (sigma * alpha);
    return { ratio, alphaNext, h: lambdaOf(sigmaNext) - lambdaOf(sigma) };
  }
}

/**
 * diffusers' `searchsorted(flip(λ_t), lambda_min_clipped)`: how many training timesteps (counted
 * from the noisy end) have λ below the clip. λ decreases with t, so those are the last ones.
 */
function countBelow(table: Float64Array, lambdaMin: number): number {
  let count = 0;
  for (let t = table.length - 1; t >= 0; t--) {
    if (lambdaOf(table[t] as number) < lambdaMin) count++;
    else break;
  }
  return count;
}
