/**
 * The clean image a step predicts, x̂₀, from the model's input and its (guided) output: what a
 * live preview decodes. σ is the scheduler's own noise level of the step (Scheduler.sigmas[i]).
 *
 * DDPM-family samplers (DDIM, Euler, DPM-Solver++) feed the model the variance-preserving
 * latent x = √ᾱ·x₀ + √(1−ᾱ)·ε, ᾱ = 1/(σ²+1): DDIM and DPM-Solver++ sample in that space, and
 * Euler's scaleModelInput divides its σ-space latent by √(σ²+1) to get it. So, per element:
 *   epsilon:      x̂₀ = (x − √(1−ᾱ)·ε)/√ᾱ = √(σ²+1)·x − σ·ε
 *   v_prediction: x̂₀ = √ᾱ·x − √(1−ᾱ)·v   = (x − σ·v)/√(σ²+1)
 *   sample:       x̂₀ = the output itself
 * Flow matching feeds the latent x = (1−σ)·x₀ + σ·noise itself and predicts v = noise − x₀:
 *   flow:         x̂₀ = x − σ·v
 * These are the same x̂₀ the samplers step with (DPM-Solver++'s data prediction, Euler's x̂₀).
 */
import type { PredictionType } from '../sampler/types';

/**
 * @param input the model input of the step (after scaleModelInput), latent-sized
 * @param output the guided model output of the step, in `predictionType`, latent-sized
 * @returns a new latent-sized array
 * @throws RangeError on arrays of different lengths or a σ that is not finite and ≥ 0
 */
export function predictX0(predictionType: PredictionType, sigma: number, input: Float32Array, output: Float32Array): Float32Array {
  if (input.length !== output.length) throw new RangeError(`x0 prediction: the input has ${input.length} values, the output ${output.length}`);
  if (!(Number.isFinite(sigma) && sigma >= 0)) throw new RangeError(`x0 prediction: σ must be finite and ≥ 0, got ${sigma}`);
  if (predictionType === 'sample') return output.slice();
  const out = new Float32Array(input.length);
  const root = Math.sqrt(sigma * sigma + 1);
  for (let i = 0; i < input.length; i++) {
    const x = input[i] as number;
    const m = output[i] as number;
    if (predictionType === 'flow') out[i] = x - sigma * m;
    else if (predictionType === 'epsilon') out[i] = root * x - sigma * m;
    else out[i] = (x - sigma * m) / root;
  }
  return out;
}
