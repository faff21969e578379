/**
 * The scheduler interface the denoising loop drives. One implementation per algorithm
 * (ddim.ts, euler-discrete.ts, dpm-solver-multistep.ts, flow-match-euler.ts); createScheduler
 * builds the right one from a diffusers scheduler_config.json.
 *
 * The loop, per step i = 0..numSteps−1:
 *   latents = noise · initNoiseSigma                         (before the loop)
 *   out     = model(scaleModelInput(latents, i), timesteps[i])
 *   latents = step(out, i, latents)
 * All arrays are one flattened latent tensor (any shape, e.g. [1,4,64,64] → 16384 floats).
 */

/** What the denoiser predicts: noise ε, velocity v = √ᾱ·ε − √(1−ᾱ)·x₀, the clean sample x₀, or flow velocity ε − x₀. */
export type PredictionType = 'epsilon' | 'v_prediction' | 'sample' | 'flow';

/**
 * One step's first-order update, linear in the latent and the model output (scalars, applied per
 * element): x_{i+1} = a·x_i + b·modelOutput_i, with the output in the model's prediction type.
 * Error-compensation maths (quantization) propagates an output error e through a step as b·e, and
 * a state error d as a·d. For a multistep solver this is its first-order (Euler/DDIM) part.
 */
export interface StepCoefficients {
  a: number;
  b: number;
}

/**
 * Everything a scheduler carries between steps, so that another instance with the same schedule
 * (another model's loop, another process) can take over mid-run: the next step index and the
 * multistep history (DPM-Solver++'s previous data prediction). Stateless samplers export an empty
 * history. Arrays are latent-sized float32.
 */
export interface SchedulerState {
  className: string;
  numSteps: number;
  /** The step index the next `step` call must have. */
  nextStepIndex: number;
  history: Float32Array[];
}

export interface Scheduler {
  /** diffusers class that actually runs, e.g. 'DDIMScheduler'. */
  readonly className: string;
  /** Effective config after defaults and overrides; JSON-serializable, stored in every recipe. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly predictionType: PredictionType;
  readonly numSteps: number;
  /** Timestep value fed to the model at each step index (length numSteps, float; the runtime casts to int64 when the model wants it). */
  readonly timesteps: Float64Array;
  /** Std of the initial noise: latents = noise * initNoiseSigma. */
  readonly initNoiseSigma: number;
  /**
   * Noise level per step plus the final one (length numSteps + 1): σ = √((1−ᾱ)/ᾱ) for the
   * DDPM-family samplers (DDIM, Euler, DPM-Solver++), the flow σ in x = (1−σ)·x₀ + σ·noise for
   * flow matching.
   */
  readonly sigmas: Float64Array;
  /** Step i's first-order coefficients (see StepCoefficients). */
  stepCoefficients(stepIndex: number): StepCoefficients;
  /** True when step i adds fresh noise (DDIM with η > 0): the loop must then pass `noise` to `step`. */
  needsNoise(stepIndex: number): boolean;
  /** Std of the noise step i adds to the latent per unit of `noise` (0 for a deterministic step). */
  stepNoiseStd(stepIndex: number): number;
  /** The state after the last `step` call, to hand the run to another instance. */
  exportState(): SchedulerState;
  /** Continues from `state` (from an instance of the same class and step count). @throws RangeError otherwise */
  importState(state: SchedulerState): void;
  /** Model input for step stepIndex (identity for DDIM/flow, x/sqrt(σ²+1) for sigma-space schedulers). Never mutates `sample`. */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  /**
   * x_t → x_{t−1}. Call with stepIndex 0..numSteps−1 in order (multistep solvers keep state).
   * Returns a new array. `noise` (standard normal, latent-sized) is required where needsNoise(i).
   */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise?: Float32Array): Float32Array;
}
