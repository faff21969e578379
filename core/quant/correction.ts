/**
 * The per-step corrections, on one latent-sized output ([C, …] flattened; channel c of index j
 * is ⌊j / perChannel⌋). Shared by the fitting code and the step hook so both apply the same
 * formula. tcec.md derives them.
 *
 *   PTQD:  ε̃ = (ε̂ − μ_i)/(1 + k_i)
 *   TCEC:  d_i = K_i⊙ε̂_i + μ_i + (a_i/b_i)·δ̂_i,   δ̂_i = G_i⊙(b_{i−1}·ε̂_{i−1}) + β_i
 *          ε′ = ε̂ − λ·d_i
 * where ε̂ is the guided quantized output, ε̂_{i−1} the previous step's (window m = 1) and
 * a_i, b_i the scheduler's step coefficients (x_{i+1} = a_i·x_i + b_i·output).
 */
import { applyGuidance } from '../sampler/guidance';
import type { StepCoefficients } from '../sampler/types';
import type { PtqdTable, TcecTable } from './compensation-tables';

/** (ε̂ − μ)/(1 + k) blended by strength: ε̂ + λ·(that − ε̂). */
export function ptqdCorrect(out: Float32Array, table: PtqdTable, step: number, strength: number): Float32Array {
  const k = table.k[step] as number;
  const mu = table.mu[step] as number[];
  const per = out.length / mu.length;
  const res = new Float32Array(out.length);
  for (let j = 0; j < out.length; j++) {
    const v = out[j] as number;
    const corrected = (v - (mu[Math.floor(j / per)] as number)) / (1 + k);
    res[j] = v + strength * (corrected - v);
  }
  return res;
}

/**
 * The state-error estimate δ̂_i carried into step i, in latent units.
 * @param prev the previous step's guided output ε̂_{i−1}; undefined when step i−1 ran no model (a cache reuse) or i = 0
 */
export function carriedStateError(table: TcecTable, step: number, prev: Float32Array | undefined, prevCoefficients: StepCoefficients | undefined): Float32Array | undefined {
  if (prev === undefined || prevCoefficients === undefined || step === 0) return undefined;
  const G = table.G[step] as number[];
  const beta = table.beta[step] as number[];
  const per = prev.length / G.length;
  const out = new Float32Array(prev.length);
  for (let j = 0; j < prev.length; j++) {
    const c = Math.floor(j / per);
    out[j] = (G[c] as number) * prevCoefficients.b * (prev[j] as number) + (beta[c] as number);
  }
  return out;
}

/**
 * d_i, TCEC's estimate of the current output's error plus the carried state error in output
 * units (subtract λ·d_i from every branch). A step with b_i = 0 cannot move the state, so the
 * carried part is dropped there.
 */
export function tcecTerm(table: TcecTable, step: number, guided: Float32Array, carried: Float32Array | undefined, coefficients: StepCoefficients): Float32Array {
  const K = table.K[step] as number[];
  const mu = table.mu[step] as number[];
  const per = guided.length / K.length;
  const gain = carried !== undefined && Math.abs(coefficients.b) > 1e-12 ? coefficients.a / coefficients.b : 0;
  const d = new Float32Array(guided.length);
  for (let j = 0; j < guided.length; j++) {
    const c = Math.floor(j / per);
    d[j] = (K[c] as number) * (guided[j] as number) + (mu[c] as number) + (gain === 0 ? 0 : gain * ((carried as Float32Array)[j] as number));
  }
  return d;
}

/** uncond + cfg·(cond − uncond) under guidance, else cond (the loop's own guidance formula). */
export function guidedOutput(cond: Float32Array, uncond: Float32Array | undefined, cfg: number): Float32Array {
  return uncond === undefined || cfg <= 1 ? cond : applyGuidance(uncond, cond, cfg);
}
