/**
 * Inner products between the linear predictor's regressors, read from a profile's per-channel
 * pooled sums (profile-types.ts PooledChannelSums), so any fit is closed-form without the raw
 * trajectories. All sums run over calibration prompts and one channel's spatial positions:
 *   ⟨r_j, r_k⟩ = rr[j] (j = k) or rr2[(min, max)]     ⟨x_s, r_j⟩ = xr[(j, s)] for j ≤ s
 *   ⟨x_s, x_s⟩ = xx[s]    ⟨1, r_j⟩ = r[j]    ⟨1, x_s⟩ = x[s]    ⟨1, 1⟩ = count
 * A regressor of step s's forecast is a computed step's residual, the current input x_s, or the
 * constant 1 (a bias); the target is r_s.
 */
import { diagonalPairIndex, strictPairIndex } from '../profile/pair-index';
import type { PooledChannelSums } from '../profile/profile-types';

export type Regressor = { kind: 'residual'; step: number } | { kind: 'input' } | { kind: 'bias' };

/** ⟨r_j, r_k⟩ over channel c. */
export function residualInner(p: PooledChannelSums, c: number, j: number, k: number): number {
  if (j === k) return (p.rr[c] as number[])[j] as number;
  return (p.rr2[c] as number[])[strictPairIndex(Math.min(j, k), Math.max(j, k))] as number;
}

/** ⟨a, b⟩ over channel c for two regressors of step s (or the target r_s, written as the residual at s). */
export function regressorInner(p: PooledChannelSums, c: number, s: number, a: Regressor, b: Regressor): number {
  if (a.kind === 'residual' && b.kind === 'residual') return residualInner(p, c, a.step, b.step);
  if (a.kind !== 'residual' && b.kind === 'residual') return regressorInner(p, c, s, b, a);
  if (a.kind === 'residual') {
    if (b.kind === 'input') {
      if (a.step > s) throw new RangeError(`⟨x_${s}, r_${a.step}⟩ is not in the profile (needs r's step ≤ ${s})`);
      return (p.xr[c] as number[])[diagonalPairIndex(a.step, s)] as number;
    }
    return (p.r[c] as number[])[a.step] as number;
  }
  if (a.kind === 'input' && b.kind === 'input') return (p.xx[c] as number[])[s] as number;
  if (a.kind === 'bias' && b.kind === 'bias') return p.count;
  return (p.x[c] as number[])[s] as number;
}

/** The Gram matrix G[a][b] = ⟨z_a, z_b⟩ and the right-hand side ⟨z_a, r_s⟩, summed over `channels`. */
export function gramSystem(p: PooledChannelSums, channels: readonly number[], s: number, regressors: readonly Regressor[]): { gram: number[][]; rhs: number[]; targetNorm2: number } {
  const target: Regressor = { kind: 'residual', step: s };
  const sum = (f: (c: number) => number): number => channels.reduce((acc, c) => acc + f(c), 0);
  return {
    gram: regressors.map((a) => regressors.map((b) => sum((c) => regressorInner(p, c, s, a, b)))),
    rhs: regressors.map((a) => sum((c) => regressorInner(p, c, s, a, target))),
    targetNorm2: sum((c) => residualInner(p, c, s, s)),
  };
}
