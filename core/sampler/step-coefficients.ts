/**
 * First-order step coefficients (StepCoefficients in types.ts), x' = a·x + b·out, derived from
 * each sampler's own update with the model output in its prediction type. Kept beside the
 * updates they linearize; tests check step() against a·x + b·out for every sampler.
 */
import type { PredictionType, StepCoefficients } from './types';

/** σ-space Euler (Euler-discrete, and the explicit-grid scheduler): x' = x + (x − x̂₀)/σ·(σ' − σ). */
export function eulerCoefficients(sigma: number, sigmaNext: number, predictionType: PredictionType): StepCoefficients {
  const dt = sigmaNext - sigma;
  if (predictionType === 'flow' || predictionType === 'epsilon') return { a: 1, b: dt };
  if (predictionType === 'sample') return { a: 1 + dt / sigma, b: -dt / sigma };
  // v: x̂₀ = −σ/√(σ²+1)·v + x/(σ²+1)
  const vSkip = 1 / (sigma * sigma + 1);
  const vScale = -sigma / Math.sqrt(sigma * sigma + 1);
  return { a: 1 + (dt * (1 - vSkip)) / sigma, b: (-dt * vScale) / sigma };
}

/**
 * DDIM from ᾱ_t to ᾱ_t' with noise std σ_η: x' = √ᾱ_t'·x̂₀ + √(1−ᾱ_t'−σ_η²)·ε̂ (+ σ_η·z, not
 * part of the linear form). clip_sample makes the true update non-linear; the coefficients are
 * those of the unclipped update.
 */
export function ddimCoefficients(alphaProd: number, alphaProdPrev: number, noiseStd: number, predictionType: PredictionType): StepCoefficients {
  const sA = Math.sqrt(alphaProd);
  const sB = Math.sqrt(1 - alphaProd);
  const sAp = Math.sqrt(alphaProdPrev);
  const dir = Math.sqrt(1 - alphaProdPrev - noiseStd * noiseStd);
  if (predictionType === 'sample') return { a: dir / sB, b: sAp - (dir * sA) / sB };
  if (predictionType === 'v_prediction') return { a: sAp * sA + dir * sB, b: -sAp * sB + dir * sA };
  return { a: sAp / sA, b: dir - (sAp * sB) / sA };
}

/** σ = √((1−ᾱ)/ᾱ), the VE-equivalent noise level of a VP latent. */
export function vpSigma(alphaProd: number): number {
  return Math.sqrt((1 - alphaProd) / alphaProd);
}
