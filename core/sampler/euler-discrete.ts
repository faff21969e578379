/**
 * Euler's method in sigma space (Karras et al. 2022, Algorithm 2 with s_churn = 0), as diffusers'
 * EulerDiscreteScheduler runs it.
 *
 * Schedule: σ(t) = √((1−ᾱ_t)/ᾱ_t) tabulated at t = 0..T−1, linearly interpolated at the (possibly
 * fractional) timesteps, then a final σ = 0 (final_sigmas_type "zero") or σ(0) ("sigma_min").
 * Sigmas and timesteps are rounded to float32, as diffusers stores them.
 *   initial noise std = σ_max for linspace/trailing spacing, √(σ_max² + 1) for leading
 *   model input       = x / √(σ² + 1)
 *   epsilon:      x̂₀ = x − σ·ε
 *   v_prediction: x̂₀ = −σ/√(σ²+1)·v + x/(σ²+1)
 *   sample:       x̂₀ = out
 *   x_next = x + (x − x̂₀)/σ · (σ_next − σ)
 */
import { type ConfigObject, readEnum, requireSupported } from './config-fields';
import { type NoiseScheduleSettings, readNoiseSchedule, sigmaSpaceAlphasCumprod } from './noise-schedule-config';
import { interpAtIndex } from './numpy-semantics';
import { checkSameLength, checkStepIndex, checkSteps, checkTimesteps } from './step-checks';
import { spacedTimesteps } from './timestep-spacing';
import { EulerFamilyScheduler } from './euler-family';
import type { PredictionType } from './types';

export const FINAL_SIGMAS_TYPES = ['zero', 'sigma_min'] as const;
export type FinalSigmasType = (typeof FINAL_SIGMAS_TYPES)[number];

export interface EulerSettings extends NoiseScheduleSettings {
  final_sigmas_type: FinalSigmasType;
}

/** Options that change the schedule in ways we do not implement are refused rather than dropped. */
export function rejectAlternativeSigmas(c: ConfigObject): void {
  for (const key of ['use_karras_sigmas', 'use_exponential_sigmas', 'use_beta_sigmas']) {
    requireSupported(c, key, false, 'only the default interpolated sigmas are implemented');
  }
}

/** EulerDiscreteScheduler's fields with its defaults (timestep_spacing defaults to linspace). */
export function readEulerSettings(c: ConfigObject): EulerSettings {
  rejectAlternativeSigmas(c);
  requireSupported(c, 'interpolation_type', 'linear', 'only linear sigma interpolation is implemented');
  requireSupported(c, 'timestep_type', 'discrete', 'only discrete timesteps are implemented');
  return { ...readNoiseSchedule(c, 'linspace'), final_sigmas_type: readEnum(c, 'final_sigmas_type', FINAL_SIGMAS_TYPES, 'zero') };
}

/** σ(t) = √((1−ᾱ_t)/ᾱ_t) for every training timestep. */
export function sigmaTable(alphaBar: Float64Array): Float64Array {
  return alphaBar.map((a) => Math.sqrt((1 - a) / a));
}

export class EulerDiscreteScheduler extends EulerFamilyScheduler {
  readonly className = 'EulerDiscreteScheduler';
  readonly config: Readonly<Record<string, unknown>>;
  readonly predictionType: PredictionType;
  readonly numSteps: number;
  readonly timesteps: Float64Array;
  readonly initNoiseSigma: number;
  /** σ per step plus the final σ (length numSteps + 1), float32 values. */
  readonly sigmas: Float64Array;

  constructor(settings: EulerSettings, steps: number, config: Readonly<Record<string, unknown>>) {
    super();
    const T = settings.num_train_timesteps;
    checkSteps(steps, T);
    this.config = config;
    this.predictionType = settings.prediction_type;
    this.timesteps = spacedTimesteps(settings.timestep_spacing, T, steps, settings.steps_offset, 'float32');
    checkTimesteps(this.timesteps, T, false, `Euler with ${steps} steps and timestep_spacing "${settings.timestep_spacing}"`);
    this.numSteps = this.timesteps.length;
    const table = sigmaTable(sigmaSpaceAlphasCumprod(settings));
    const finalSigma = settings.final_sigmas_type === 'zero' ? 0 : (table[0] as number);
    this.sigmas = new Float64Array(this.numSteps + 1);
    this.timesteps.forEach((t, i) => {
      this.sigmas[i] = Math.fround(interpAtIndex(t, table));
    });
    this.sigmas[this.numSteps] = Math.fround(finalSigma);
    const sigmaMax = Math.max(...this.sigmas);
    this.initNoiseSigma = settings.timestep_spacing === 'leading' ? Math.fround(Math.sqrt(sigmaMax * sigmaMax + 1)) : sigmaMax;
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    const sigma = this.sigmas[stepIndex] as number;
    const scale = Math.sqrt(sigma * sigma + 1);
    return sample.map((x) => x / scale);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    checkSameLength(modelOutput, sample);
    this.nextStepIndex = stepIndex + 1;
    return eulerSigmaStep(modelOutput, sample, this.sigmas[stepIndex] as number, this.sigmas[stepIndex + 1] as number, this.predictionType);
  }
}

/**
 * One Euler step in sigma space, x + (x − x̂0)/σ · (σ_next − σ), with x̂0 from the model output
 * per prediction type (epsilon, v_prediction, sample). Shared with the explicit-grid scheduler
 * (custom-sigmas.ts) so both integrate identically.
 */
export function eulerSigmaStep(modelOutput: Float32Array, sample: Float32Array, sigma: number, sigmaNext: number, predictionType: PredictionType): Float32Array {
  const dt = sigmaNext - sigma;
  const vScale = -sigma / Math.sqrt(sigma * sigma + 1);
  const vSkip = 1 / (sigma * sigma + 1);
  const out = new Float32Array(sample.length);
  for (let i = 0; i < sample.length; i++) {
    const x = sample[i] as number;
    const m = modelOutput[i] as number;
    let x0: number;
    if (predictionType === 'epsilon') x0 = x - sigma * m;
    else if (predictionType === 'v_prediction') x0 = m * vScale + x * vSkip;
    else x0 = m;
    out[i] = x + ((x - x0) / sigma) * dt;
  }
  return out;
}
