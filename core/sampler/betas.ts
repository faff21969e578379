/**
 * The DDPM noise schedule shared by DDIM, Euler and DPM-Solver: betas → alphas_cumprod (ᾱ).
 *
 * Formulas are diffusers' (`scheduling_ddim.py`, `betas_for_alpha_bar`,
 * `rescale_zero_terminal_snr`). Precision: diffusers builds betas with `torch.linspace(...,
 * dtype=float32)` and accumulates ᾱ with a float32 `cumprod`; we do both in float64, which keeps ᾱ
 * within ~1e-6 relative of diffusers' values (the difference is float32 rounding noise, not a
 * different schedule). Schedulers round to float32 only where diffusers stores float32 results
 * that feed the model or the update (e.g. Euler's sigmas).
 */
import { linspace } from './numpy-semantics';

export const BETA_SCHEDULES = ['linear', 'scaled_linear', 'squaredcos_cap_v2'] as const;
export type BetaSchedule = (typeof BETA_SCHEDULES)[number];

/** GLIDE's cosine ᾱ(t) for t ∈ [0, 1], as in diffusers' `betas_for_alpha_bar`. */
function cosineAlphaBar(t: number): number {
  return Math.cos(((t + 0.008) / 1.008) * Math.PI * 0.5) ** 2;
}

/**
 * Betas, length `numTrainTimesteps`.
 * - linear: linspace(betaStart, betaEnd)
 * - scaled_linear (Stable Diffusion): linspace(√betaStart, √betaEnd)²
 * - squaredcos_cap_v2: βᵢ = min(1 − ᾱ((i+1)/T) / ᾱ(i/T), 0.999)
 */
export function makeBetas(schedule: BetaSchedule, numTrainTimesteps: number, betaStart: number, betaEnd: number): Float64Array {
  switch (schedule) {
    case 'linear':
      return linspace(betaStart, betaEnd, numTrainTimesteps);
    case 'scaled_linear':
      return linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), numTrainTimesteps).map((b) => b * b);
    case 'squaredcos_cap_v2': {
      const betas = new Float64Array(numTrainTimesteps);
      for (let i = 0; i < numTrainTimesteps; i++) {
        const t1 = i / numTrainTimesteps;
        const t2 = (i + 1) / numTrainTimesteps;
        betas[i] = Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
      }
      return betas;
    }
  }
}

/**
 * "Common Diffusion Noise Schedules and Sample Steps are Flawed" (Lin et al. 2023), Algorithm 1:
 * shift and scale √ᾱ so the last timestep has zero SNR, keeping the first one unchanged.
 */
export function rescaleZeroTerminalSnr(betas: Float64Array): Float64Array {
  const alphaBarSqrt = alphasCumprod(betas).map(Math.sqrt);
  const first = alphaBarSqrt[0] as number;
  const last = alphaBarSqrt[alphaBarSqrt.length - 1] as number;
  const scale = first / (first - last);
  const alphaBar = alphaBarSqrt.map((a) => ((a - last) * scale) ** 2);
  const out = new Float64Array(betas.length);
  for (let i = 0; i < betas.length; i++) {
    const alpha = i === 0 ? (alphaBar[0] as number) : (alphaBar[i] as number) / (alphaBar[i - 1] as number);
    out[i] = 1 - alpha;
  }
  return out;
}

/** ᾱ_t = ∏_{s ≤ t} (1 − β_s), length of `betas`. */
export function alphasCumprod(betas: Float64Array): Float64Array {
  const out = new Float64Array(betas.length);
  let product = 1;
  for (let i = 0; i < betas.length; i++) {
    product *= 1 - (betas[i] as number);
    out[i] = product;
  }
  return out;
}
