/**
 * Analytic "denoisers" for the end-to-end tests: the exact model outputs for a Gaussian-mixture
 * data distribution, smooth in time like a trained model's. Data x₀ ~ Σ_m w_m·N(μ_m, s²I). The two
 * CFG branches share the means and differ in weights (cond favours the first component).
 *
 * Flow (x_t = (1−t)·x₀ + t·ε, model predicts v = E[ε − x₀ | x_t], timestep = t·trainSteps):
 *   s_t² = (1−t)²s² + t²,  π_m ∝ w_m·exp(−‖x − (1−t)μ_m‖² / (2s_t²))
 *   E[x₀ | x, m] = μ_m + (1−t)s²/s_t² · (x − (1−t)μ_m),  E[ε | x, m] = t/s_t² · (x − (1−t)μ_m)
 * Epsilon (VE form x = x₀ + σ·ε as Euler-discrete integrates it; the model sees x/√(σ²+1) and the
 * timestep t with σ = σ(t) from the scheduler's table):
 *   π_m ∝ w_m·exp(−‖x − μ_m‖² / (2(s² + σ²))),  E[ε | x, m] = σ/(s² + σ²) · (x − μ_m)
 */
import type { Branch } from '../../../core/cache/types';
import { gaussianNoise } from '../../../core/noise/gaussian-noise';
import type { Denoiser } from './cached-sampling';

interface Mixture {
  means: Float32Array[];
  weights: Record<Branch, number[]>;
}

function mixture(size: number, components: number): Mixture {
  const means = Array.from({ length: components }, (_, m) => gaussianNoise(7000 + m, size));
  return {
    means,
    weights: { uncond: means.map(() => 1 / components), cond: means.map((_, m) => (m === 0 ? 0.7 : 0.3 / (components - 1))) },
  };
}

/** Posterior component weights for x under N((scale)·μ_m, variance·I). */
function posterior(mix: Mixture, branch: Branch, x: ArrayLike<number>, scale: number, variance: number): number[] {
  const logits = mix.means.map((mu, m) => {
    let d = 0;
    for (let i = 0; i < mu.length; i++) d += ((x[i] as number) - scale * (mu[i] as number)) ** 2;
    return Math.log(mix.weights[branch][m] as number) - d / (2 * variance);
  });
  const top = Math.max(...logits);
  const unnorm = logits.map((l) => Math.exp(l - top));
  const total = unnorm.reduce((a, b) => a + b, 0);
  return unnorm.map((u) => u / total);
}

export function mixtureFlowDenoiser(size: number, components: number, spread: number, trainSteps: number): Denoiser {
  const mix = mixture(size, components);
  const s2 = spread * spread;
  return (x, timestep, branch) => {
    const t = timestep / trainSteps;
    const st2 = (1 - t) ** 2 * s2 + t * t;
    const pi = posterior(mix, branch, x, 1 - t, st2);
    const out = new Float32Array(size);
    mix.means.forEach((mu, m) => {
      const p = pi[m] as number;
      for (let i = 0; i < size; i++) {
        const centred = (x[i] as number) - (1 - t) * (mu[i] as number);
        out[i] = (out[i] as number) + p * ((t / st2) * centred - ((mu[i] as number) + (((1 - t) * s2) / st2) * centred));
      }
    });
    return out;
  };
}

export function mixtureEpsilonDenoiser(size: number, components: number, spread: number, sigmaOfTimestep: (t: number) => number): Denoiser {
  const mix = mixture(size, components);
  const s2 = spread * spread;
  return (input, timestep, branch) => {
    const sigma = sigmaOfTimestep(timestep);
    const x = input.map((u) => u * Math.sqrt(sigma * sigma + 1));
    const variance = s2 + sigma * sigma;
    const pi = posterior(mix, branch, x, 1, variance);
    const out = new Float32Array(size);
    mix.means.forEach((mu, m) => {
      const p = pi[m] as number;
      for (let i = 0; i < size; i++) out[i] = (out[i] as number) + p * (sigma / variance) * ((x[i] as number) - (mu[i] as number));
    });
    return out;
  };
}
