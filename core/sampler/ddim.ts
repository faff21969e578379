/**
 * DDIM (Song et al. 2020) as diffusers' DDIMScheduler runs it, deterministic at η = 0 (the default)
 * and stochastic for η > 0, with the noise supplied by the caller (the portable generator).
 *
 * For step i at timestep t with t' = t − ⌊T/N⌋ (diffusers' prev_timestep, whatever the spacing):
 *   ᾱ_t, ᾱ_t' (ᾱ_t' = final_alpha_cumprod when t' < 0: 1 if set_alpha_to_one, else ᾱ_0)
 *   epsilon:      x̂₀ = (x − √(1−ᾱ_t)·ε) / √ᾱ_t,   ε̂ = ε
 *   sample:       x̂₀ = out,                        ε̂ = (x − √ᾱ_t·x̂₀) / √(1−ᾱ_t)
 *   v_prediction: x̂₀ = √ᾱ_t·x − √(1−ᾱ_t)·v,       ε̂ = √ᾱ_t·v + √(1−ᾱ_t)·x
 *   clip_sample:  x̂₀ ← clamp(x̂₀, −clip_sample_range, clip_sample_range) (ε̂ is not recomputed,
 *                 as diffusers' default use_clipped_model_output=False)
 *   σ_η = η·√((1−ᾱ_t')/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_t')      (0 at η = 0)
 *   x_{t'} = √ᾱ_t'·x̂₀ + √(1−ᾱ_t'−σ_η²)·ε̂ + σ_η·z,   z ~ N(0, I) from the loop
 * Arithmetic is float64 per element, rounded once to float32 on store (diffusers: float32).
 * The model input is the latent itself and the initial noise std is 1.
 */
import { alphasCumprod } from './betas';
import { type ConfigObject, readBoolean, readNumber, readPositiveNumber } from './config-fields';
import { type NoiseScheduleSettings, readNoiseSchedule, settingsBetas } from './noise-schedule-config';
import { checkImportedState, statelessState } from './scheduler-state';
import { checkSameLength, checkStepIndex, checkSteps, checkTimesteps } from './step-checks';
import { ddimCoefficients, vpSigma } from './step-coefficients';
import { spacedTimesteps } from './timestep-spacing';
import type { PredictionType, Scheduler, SchedulerState, StepCoefficients } from './types';

export interface DdimSettings extends NoiseScheduleSettings {
  clip_sample: boolean;
  clip_sample_range: number;
  set_alpha_to_one: boolean;
  /** DDIM's η (a step argument in diffusers, kept in the effective config so a recipe replays it); 0 = deterministic. */
  eta: number;
}

/**
 * DDIMScheduler's fields with its defaults (set_alpha_to_one defaults to true). `clipByDefault`
 * is clip_sample's default: true (DDIM's own) when the config comes from a class that defines
 * clip_sample with that default (DDIM, DDPM); false when it comes from one that never clips
 * (PNDM, Euler, …), so a mapped SD config without the key is not clamped to ±1 in latent space.
 */
export function readDdimSettings(c: ConfigObject, clipByDefault: boolean): DdimSettings {
  return {
    ...readNoiseSchedule(c, 'leading'),
    clip_sample: readBoolean(c, 'clip_sample', clipByDefault),
    clip_sample_range: readPositiveNumber(c, 'clip_sample_range', 1),
    set_alpha_to_one: readBoolean(c, 'set_alpha_to_one', true),
    eta: readNumber(c, 'eta', 0, 0, 1),
  };
}

export class DdimScheduler implements Scheduler {
  readonly className = 'DDIMScheduler';
  readonly config: Readonly<Record<string, unknown>>;
  readonly predictionType: PredictionType;
  readonly numSteps: number;
  readonly timesteps: Float64Array;
  readonly initNoiseSigma = 1;
  /** ᾱ at each step's timestep t. */
  readonly alphaProd: Float64Array;
  /** ᾱ at the timestep each step lands on, t − ⌊T/N⌋ (or the final ᾱ). */
  readonly alphaProdPrev: Float64Array;
  /** σ per step plus the final one: √((1−ᾱ)/ᾱ) at t, and at the last step's landing point. */
  readonly sigmas: Float64Array;
  /** Noise std σ_η each step adds (all 0 at η = 0). */
  readonly noiseStd: Float64Array;
  private readonly settings: DdimSettings;
  private nextStepIndex = 0;

  constructor(settings: DdimSettings, steps: number, config: Readonly<Record<string, unknown>>) {
    const T = settings.num_train_timesteps;
    checkSteps(steps, T);
    this.settings = settings;
    this.config = config;
    this.predictionType = settings.prediction_type;
    this.timesteps = spacedTimesteps(settings.timestep_spacing, T, steps, settings.steps_offset, 'integer');
    checkTimesteps(this.timesteps, T, true, `DDIM with ${steps} steps and timestep_spacing "${settings.timestep_spacing}"`);
    this.numSteps = this.timesteps.length;
    const alphaBar = alphasCumprod(settingsBetas(settings));
    const finalAlphaProd = settings.set_alpha_to_one ? 1 : (alphaBar[0] as number);
    const stride = Math.floor(T / steps);
    this.alphaProd = this.timesteps.map((t) => alphaBar[t] as number);
    this.alphaProdPrev = this.timesteps.map((t) => (t - stride >= 0 ? (alphaBar[t - stride] as number) : finalAlphaProd));
    this.sigmas = new Float64Array(this.numSteps + 1);
    this.alphaProd.forEach((a, i) => {
      this.sigmas[i] = vpSigma(a);
    });
    this.sigmas[this.numSteps] = vpSigma(this.alphaProdPrev[this.numSteps - 1] as number);
    this.noiseStd = this.alphaProd.map((a, i) => {
      const aPrev = this.alphaProdPrev[i] as number;
      return settings.eta * Math.sqrt((1 - aPrev) / (1 - a)) * Math.sqrt(1 - a / aPrev);
    });
  }

  stepCoefficients(stepIndex: number): StepCoefficients {
    checkStepIndex(stepIndex, this.numSteps);
    return ddimCoefficients(this.alphaProd[stepIndex] as number, this.alphaProdPrev[stepIndex] as number, this.noiseStd[stepIndex] as number, this.predictionType);
  }

  needsNoise(stepIndex: number): boolean {
    checkStepIndex(stepIndex, this.numSteps);
    return (this.noiseStd[stepIndex] as number) > 0;
  }

  stepNoiseStd(stepIndex: number): number {
    checkStepIndex(stepIndex, this.numSteps);
    return this.noiseStd[stepIndex] as number;
  }

  exportState(): SchedulerState {
    return statelessState(this, this.nextStepIndex);
  }

  importState(state: SchedulerState): void {
    checkImportedState(this, state);
    this.nextStepIndex = state.nextStepIndex;
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    return sample.slice();
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise?: Float32Array): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    checkSameLength(modelOutput, sample);
    const std = this.noiseStd[stepIndex] as number;
    if (std > 0 && (noise === undefined || noise.length !== sample.length)) {
      throw new RangeError(`DDIM with eta ${this.settings.eta} needs ${sample.length} noise values at step ${stepIndex}, got ${noise?.length ?? 'none'}`);
    }
    const a = this.alphaProd[stepIndex] as number;
    const aPrev = this.alphaProdPrev[stepIndex] as number;
    const sqrtA = Math.sqrt(a);
    const sqrtB = Math.sqrt(1 - a);
    const sqrtAPrev = Math.sqrt(aPrev);
    const sqrtBPrev = Math.sqrt(1 - aPrev - std * std);
    const { clip_sample: clip, clip_sample_range: range } = this.settings;
    const out = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i] as number;
      const m = modelOutput[i] as number;
      let x0: number;
      let eps: number;
      if (this.predictionType === 'epsilon') {
        x0 = (x - sqrtB * m) / sqrtA;
        eps = m;
      } else if (this.predictionType === 'sample') {
        x0 = m;
        eps = (x - sqrtA * x0) / sqrtB;
      } else {
        x0 = sqrtA * x - sqrtB * m;
        eps = sqrtA * m + sqrtB * x;
      }
      if (clip) x0 = Math.min(Math.max(x0, -range), range);
      out[i] = sqrtAPrev * x0 + sqrtBPrev * eps + (std > 0 ? std * ((noise as Float32Array)[i] as number) : 0);
    }
    this.nextStepIndex = stepIndex + 1;
    return out;
  }
}
