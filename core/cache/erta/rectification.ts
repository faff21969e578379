/**
 * ERTACache (c): closed-form residual linearisation. On a reused step k whose residual comes from
 * step j, the cached output ṽ = x_k + r_j misses the true v_k by ε = ṽ − v_k = r_j − r_k. The
 * paper models ε ≈ σ(K·ṽ + B) and linearises the sigmoid, which reduces to the affine OLS fit
 *   ε̂ = a·ṽ + c,  a = Cov(ṽ, ε) / Var(ṽ),  c = ε̄ − a·ṽ̄
 * (the note's B formula is not self-consistent; see shared/reference/ertacache.md), applied as
 *   v̂ = ṽ − (a·ṽ + c).
 * Granularity: 'channel' fits one (a, c) per latent channel (reviewers cite per-channel error
 * distributions), 'scalar' one per step. Data: pooled over calibration prompts and spatial
 * positions, from the profile's sums, so any (j, k) pair is fitted without the raw trajectories:
 *   Σṽ = Σx_k + Σr_j,  Σε = Σr_j − Σr_k,
 *   Σṽ² = Σx_k² + 2Σx_k r_j + Σr_j²,  Σṽε = Σx_k r_j − Σx_k r_k + Σr_j² − Σr_j r_k.
 */
import { diagonalPairIndex, strictPairIndex } from '../profile/pair-index';
import type { PooledChannelSums } from '../profile/profile-types';

export type RectificationGranularity = 'channel' | 'scalar';

/** Per-channel slope a and intercept c of ε̂ = a·ṽ + c (length C; all equal for 'scalar'). */
export interface AffineErrorModel {
  slope: number[];
  intercept: number[];
}

/** Sufficient statistics of (ṽ, ε) for one channel. */
interface PairSums {
  n: number;
  v: number;
  e: number;
  vv: number;
  ve: number;
}

export function fitRectification(pooled: PooledChannelSums, j: number, k: number, granularity: RectificationGranularity): AffineErrorModel {
  if (!(j < k)) throw new RangeError(`rectification is fitted for a reused step k after its source j, got j=${j}, k=${k}`);
  const perChannel = pooled.x.map((_, c) => channelSums(pooled, c, j, k));
  if (granularity === 'channel') {
    const fits = perChannel.map(olsFit);
    return { slope: fits.map((f) => f.slope), intercept: fits.map((f) => f.intercept) };
  }
  const total = perChannel.reduce((t, s) => ({ n: t.n + s.n, v: t.v + s.v, e: t.e + s.e, vv: t.vv + s.vv, ve: t.ve + s.ve }));
  const fit = olsFit(total);
  return { slope: perChannel.map(() => fit.slope), intercept: perChannel.map(() => fit.intercept) };
}

/** v̂ = ṽ − (a_c·ṽ + c_c) with c the channel of each value ([C, H, W] layout, planeSize = H·W). */
export function applyRectification(vTilde: Float32Array, model: AffineErrorModel, planeSize: number): Float32Array {
  if (vTilde.length !== model.slope.length * planeSize) throw new RangeError(`rectification: ${vTilde.length} values for ${model.slope.length} channels of ${planeSize}`);
  const out = new Float32Array(vTilde.length);
  for (let c = 0; c < model.slope.length; c++) {
    const keep = 1 - (model.slope[c] as number);
    const shift = model.intercept[c] as number;
    for (let i = c * planeSize; i < (c + 1) * planeSize; i++) out[i] = keep * (vTilde[i] as number) - shift;
  }
  return out;
}

function channelSums(p: PooledChannelSums, c: number, j: number, k: number): PairSums {
  const at = (rows: number[][], i: number) => (rows[c] as number[])[i] as number;
  const xrJK = at(p.xr, diagonalPairIndex(j, k));
  const xrKK = at(p.xr, diagonalPairIndex(k, k));
  const rrJ = at(p.rr, j);
  return {
    n: p.count,
    v: at(p.x, k) + at(p.r, j),
    e: at(p.r, j) - at(p.r, k),
    vv: at(p.xx, k) + 2 * xrJK + rrJ,
    ve: xrJK - xrKK + rrJ - at(p.rr2, strictPairIndex(j, k)),
  };
}

/** OLS of e on v; a constant ṽ (no variance) gets slope 0 and the mean error as intercept. */
function olsFit(s: PairSums): { slope: number; intercept: number } {
  const meanV = s.v / s.n;
  const meanE = s.e / s.n;
  const variance = s.vv / s.n - meanV * meanV;
  const covariance = s.ve / s.n - meanV * meanE;
  const slope = variance > 1e-12 * (s.vv / s.n) ? covariance / variance : 0;
  return { slope, intercept: meanE - slope * meanV };
}
