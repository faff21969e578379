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

/**
 * Ridge least squares with the first `sources` weights summing to 1 (an affine combination of the
 * computed residuals; later regressors, the input term, stay free), solved in the difference
 * basis d_k = z_1 − z_{k+1}:  y − z_1 ≈ Σ a_k·d_k + Σ_j c_j·z_j,  w_1 = 1 + Σ a_k, w_{k+1} = −a_k.
 * A forecast of a constant residual is then exact, so a shrunk fit cannot bias every skipped step
 * the same way, and ρ scales with each difference's energy ‖d_k‖², the size of what is fitted,
 * not with ‖r‖². The prior must sum to 1 over the sources (reuse and TaylorSeer's weights do).
 */
export function affineRidgeFit(gram: readonly (readonly number[])[], rhs: readonly number[], targetNorm2: number, sources: number, rho: number, prior: readonly number[]): RidgeResult {
  const n = rhs.length;
  if (!(Number.isInteger(sources) && sources >= 1 && sources <= n)) throw new RangeError(`affine fit: ${sources} sources of ${n} regressors`);
  // Rows of A: the new regressors in the old basis (d_k = e_1 − e_{k+1}, then e_j).
  const basis: number[][] = [];
  for (let k = 1; k < sources; k++) basis.push(Array.from({ length: n }, (_, a) => (a === 0 ? 1 : a === k ? -1 : 0)));
  for (let j = sources; j < n; j++) basis.push(Array.from({ length: n }, (_, a) => (a === j ? 1 : 0)));
  const g = (a: number, b: number) => (gram[a] as number[])[b] as number;
  const inner = (u: readonly number[], v: readonly number[]) => u.reduce((s, ua, a) => s + (ua === 0 ? 0 : ua * v.reduce((t, vb, b) => t + (vb === 0 ? 0 : g(a, b) * vb), 0)), 0);
  const e1 = Array.from({ length: n }, (_, a) => (a === 0 ? 1 : 0));
  const gram2 = basis.map((u) => basis.map((v) => inner(u, v)));
  const rhs2 = basis.map((u) => u.reduce((s, ua, a) => s + ua * (rhs[a] as number), 0) - inner(u, e1));
  const target2 = targetNorm2 - 2 * (rhs[0] as number) + g(0, 0);
  const prior2 = [...Array.from({ length: sources - 1 }, (_, k) => -(prior[k + 1] as number)), ...prior.slice(sources)];
  if (basis.length === 0) return { weights: [1], rss: Math.max(0, target2) };
  const fit = ridgeFit(gram2, rhs2, target2, rho, prior2);
  const weights = e1.map((v, a) => v + basis.reduce((s, u, i) => s + (u[a] as number) * (fit.weights[i] as number), 0));
  return { weights, rss: fit.rss };
}
