/**
 * Ridge least squares in closed form from a Gram system (profile-gram.ts):
 *   w = argmin ‖y − Z·w‖² + Σ_a λ_a (w_a − w0_a)²,   λ_a = ρ·G_aa
 *     = (G + Λ)⁻¹ (b + Λ·w0)
 * with G = ZᵀZ, b = Zᵀy. λ proportional to each regressor's own energy makes ρ scale-free (a
 * regressor in different units gets the same relative pull). w0 is the prior: plain reuse of the
 * last computed residual for the scalar fit, the scalar fit for a per-channel one. The residual
 * sum of squares ‖y − Z·w‖² = ‖y‖² − 2wᵀb + wᵀGw needs no data either.
 */
import { solveSymmetric } from './symmetric-solve';

export interface RidgeResult {
  weights: number[];
  /** ‖y − Z·w‖² on the data the system was built from (≥ 0). */
  rss: number;
}

export function ridgeFit(gram: readonly (readonly number[])[], rhs: readonly number[], targetNorm2: number, rho: number, prior: readonly number[]): RidgeResult {
  if (!(rho >= 0)) throw new RangeError(`ridge ρ must be ≥ 0, got ${rho}`);
  const n = rhs.length;
  const lhs = gram.map((row, a) => row.map((g, b) => (a === b ? g + rho * (gram[a]?.[a] as number) : g)));
  const right = rhs.map((v, a) => v + rho * (gram[a]?.[a] as number) * (prior[a] as number));
  const weights = solveSymmetric(lhs, right);
  let rss = targetNorm2;
  for (let a = 0; a < n; a++) {
    rss -= 2 * (weights[a] as number) * (rhs[a] as number);
    for (let b = 0; b < n; b++) rss += (weights[a] as number) * ((gram[a] as number[])[b] as number) * (weights[b] as number);
  }
  return { weights, rss: Math.max(0, rss) };
}

/** (w − e)ᵀ G (w − e): the squared norm of Z·w − z_e, e.g. the forecast's move from the last computed residual. */
export function quadraticFormFrom(gram: readonly (readonly number[])[], weights: readonly number[], anchor: number): number {
  const d = weights.map((w, a) => w - (a === anchor ? 1 : 0));
  let s = 0;
  for (let a = 0; a < d.length; a++) for (let b = 0; b < d.length; b++) s += (d[a] as number) * ((gram[a] as number[])[b] as number) * (d[b] as number);
  return Math.max(0, s);
}
