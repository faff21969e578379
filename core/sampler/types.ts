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
  /** Model input for step stepIndex (identity for DDIM/flow, x/sqrt(σ²+1) for sigma-space schedulers). Never mutates `sample`. */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  /** x_t → x_{t−1}. Call with stepIndex 0..numSteps−1 in order (multistep solvers keep state). Returns a new array. */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array;
}
