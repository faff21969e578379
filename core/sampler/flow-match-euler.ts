/**
 * Euler's method for rectified-flow models, as diffusers' FlowMatchEulerDiscreteScheduler runs it
 * (SD3-style: x_σ = (1−σ)·x₀ + σ·noise, the model predicts the velocity noise − x₀).
 *
 * Schedule (T = num_train_timesteps, shift(σ) = shift·σ / (1 + (shift−1)·σ)):
 *   at construction diffusers shifts its training sigmas t/T, t = 1..T, in float32, keeping
 *   σ_max = shift(1) = 1 and σ_min = shift(1/T);
 *   for N steps: σᵢ = shift(linspace(σ_max·T, σ_min·T, N)ᵢ / T) in float64, rounded to float32.
 *   Note the double shift of σ_min: that is what diffusers does, so we do too.
 *   Optional shift_terminal stretches the schedule so it ends at that σ:
 *     σ ← 1 − (1−σ) / ((1−σ_last)/(1−shift_terminal)).
 *   A final σ = 0 is appended. Timesteps fed to the model: float32(σᵢ·T).
 * Step: x_next = x + (σ_{i+1} − σᵢ)·v. Model input is the latent itself; initial noise std 1.
 */
import {
  type ConfigObject,
  readBoolean,
  readInteger,
  readNullableNumber,
  readPositiveNumber,
  requireSupported,
} from './config-fields';
import { rejectAlternativeSigmas } from './euler-discrete';
import { linspace } from './numpy-semantics';
import { SchedulerConfigError } from './scheduler-config-error';
import { checkSameLength, checkStepIndex, checkSteps, checkTimesteps } from './step-checks';
import { EulerFamilyScheduler } from './euler-family';
import type { PredictionType } from './types';

export interface FlowMatchSettings {
  num_train_timesteps: number;
  shift: number;
  shift_terminal: number | null;
  use_dynamic_shifting: false;
}

/** FlowMatchEulerDiscreteScheduler's fields with its defaults. */
export function readFlowMatchSettings(c: ConfigObject): FlowMatchSettings {
  rejectAlternativeSigmas(c);
  requireSupported(c, 'invert_sigmas', false, 'inverted sigmas are not implemented');
  requireSupported(c, 'stochastic_sampling', false, 'stochastic sampling is not implemented');
  if (readBoolean(c, 'use_dynamic_shifting', false)) {
    throw new SchedulerConfigError(
      'scheduler_config.json: "use_dynamic_shifting" = true is not supported (it needs a resolution-dependent mu from the pipeline); set a fixed "shift" instead',
    );
  }
  // diffusers tests `if shift_terminal:`, so 0 means "none" like null.
  const shiftTerminal = readNullableNumber(c, 'shift_terminal') || null;
  if (shiftTerminal !== null && !(shiftTerminal > 0 && shiftTerminal < 1)) {
    throw new SchedulerConfigError(`scheduler_config.json: "shift_terminal" must be null or in (0, 1), got ${shiftTerminal}`);
  }
  return {
    num_train_timesteps: readInteger(c, 'num_train_timesteps', 1000, 1, 100_000),
    shift: readPositiveNumber(c, 'shift', 1),
    shift_terminal: shiftTerminal,
    use_dynamic_shifting: false,
  };
}

/** shift(σ) in float64. */
export function shiftSigma(sigma: number, shift: number): number {
  return (shift * sigma) / (1 + (shift - 1) * sigma);
}

/** shift(σ) with every torch float32 operation rounded, as diffusers' constructor computes it. */
function shiftSigmaFloat32(sigma: number, shift: number): number {
  const f = Math.fround;
  return f(f(f(shift) * sigma) / f(1 + f(f(shift - 1) * sigma)));
}

export class FlowMatchEulerScheduler extends EulerFamilyScheduler {
  readonly className = 'FlowMatchEulerDiscreteScheduler';
  readonly config: Readonly<Record<string, unknown>>;
  readonly predictionType: PredictionType = 'flow';
  readonly numSteps: number;
  readonly timesteps: Float64Array;
  readonly initNoiseSigma = 1;
  /** σ per step plus the final 0 (length numSteps + 1), float32 values. */
  readonly sigmas: Float64Array;

  constructor(settings: FlowMatchSettings, steps: number, config: Readonly<Record<string, unknown>>) {
    super();
    checkSteps(steps);
    this.config = config;
    const T = settings.num_train_timesteps;
    const sigmaMax = shiftSigmaFloat32(Math.fround(1), settings.shift);
    const sigmaMin = shiftSigmaFloat32(Math.fround(1 / T), settings.shift);
    let sigmas: Float64Array = linspace(sigmaMax * T, sigmaMin * T, steps).map((t) => shiftSigma(t / T, settings.shift));
    if (settings.shift_terminal !== null) sigmas = stretchToTerminal(sigmas, settings.shift_terminal);
    this.numSteps = steps;
    this.sigmas = new Float64Array(steps + 1);
    this.sigmas.set(sigmas.map(Math.fround));
    this.timesteps = this.sigmas.subarray(0, steps).map((s) => Math.fround(s * T));
    checkTimesteps(this.timesteps, T, false, `flow-matching Euler with ${steps} steps`);
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    return sample.slice();
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array {
    checkStepIndex(stepIndex, this.numSteps);
    checkSameLength(modelOutput, sample);
    const dt = (this.sigmas[stepIndex + 1] as number) - (this.sigmas[stepIndex] as number);
    this.nextStepIndex = stepIndex + 1;
    return sample.map((x, i) => x + dt * (modelOutput[i] as number));
  }
}

/** diffusers' `stretch_shift_to_terminal`: rescale 1−σ so the last σ equals `terminal`. */
function stretchToTerminal(sigmas: Float64Array, terminal: number): Float64Array {
  const last = sigmas[sigmas.length - 1] as number;
  const scale = (1 - last) / (1 - terminal);
  return sigmas.map((s) => 1 - (1 - s) / scale);
}
