/**
 * The cost of a run of reused steps from the profile's measured reuse gains
 * (erta/measure-reuse-cost.ts) and its pooled residual sums; the placement's input
 * (placed-reuse-set.ts).
 *
 * A run computes step j, reuses j+1..k−1 from r_j, computes k. Reused step i injects the guided
 * output error ε_i = r_j − r_i (ṽ_i − v_i: the stale residual against the true one, both on the
 * same input x_i). Measured: an output error at step i leaves h_i times its L2 norm in the final
 * latent (h = MeasuredReuseCost.finalGain). Taking that gain as a scalar on the error vector, the
 * run leaves
 *   d_{j,k} = Σ_{i=j+1}^{k−1} h_i·(r_j − r_i)
 * in the final latent, and its cost is ‖d_{j,k}‖₂² summed over the calibration prompts:
 *   Σ_{i,i'} h_i·h_{i'}·⟨r_j − r_i, r_j − r_{i'}⟩
 * read exactly from the pooled inner products ⟨r_a, r_b⟩ (rr, rr2, summed over channels). The
 * vector sum is what makes consecutive reuses compound: errors of one stale residual point the
 * same way and add up, so the cost of a run grows with roughly the square of its length, and a
 * run whose errors cancel is cheap. Units: squared latent values summed over prompts and the latent.
 * Runs are summed as independent (cross terms between runs are left out), which makes the total
 * additive over runs and the dynamic program exact for it.
 */
import { strictPairIndex } from '../profile/pair-index';
import { CacheProfileError } from '../cache-errors';
import type { CacheProfile, PooledChannelSums } from '../profile/profile-types';

/** G[a][b] = Σ_c ⟨r_a, r_b⟩ over the pooled sums, T × T. */
export function residualGram(p: PooledChannelSums, T: number): number[][] {
  const G = Array.from({ length: T }, () => new Array<number>(T).fill(0));
  for (let c = 0; c < p.rr.length; c++) {
    const rr = p.rr[c] as number[];
    const rr2 = p.rr2[c] as number[];
    for (let b = 0; b < T; b++) {
      (G[b] as number[])[b] = ((G[b] as number[])[b] as number) + (rr[b] as number);
      for (let a = 0; a < b; a++) {
        const v = ((G[a] as number[])[b] as number) + (rr2[strictPairIndex(a, b)] as number);
        (G[a] as number[])[b] = v;
        (G[b] as number[])[a] = v;
      }
    }
  }
  return G;
}

/**
 * run[j][k] for 0 ≤ j < k ≤ T: the cost of computing j, reusing j+1..k−1 and computing k next
 * (k = T: reusing to the end). run[j][j+1] = 0.
 * @param gain h per step (length T)
 */
export function measuredRunCosts(G: readonly (readonly number[])[], gain: readonly number[], T: number): number[][] {
  return Array.from({ length: T }, (_, j) => {
    const row = new Array<number>(T + 1).fill(0);
    const gjj = (G[j] as readonly number[])[j] as number;
    const inner = (i: number, i2: number): number => gjj - ((G[j] as readonly number[])[i2] as number) - ((G[i] as readonly number[])[j] as number) + ((G[i] as readonly number[])[i2] as number);
    let norm2 = 0;
    for (let k = j + 1; k <= T; k++) {
      row[k] = Math.max(0, norm2);
      if (k === T) break;
      // ‖d + h_k ε_k‖² = ‖d‖² + 2 h_k ⟨d, ε_k⟩ + h_k² ‖ε_k‖², d = Σ_{i<k} h_i ε_i.
      const hk = gain[k] as number;
      if (hk === 0) continue;
      let cross = 0;
      for (let i = j + 1; i < k; i++) cross += (gain[i] as number) * inner(i, k);
      norm2 += 2 * hk * cross + hk * hk * inner(k, k);
    }
    return row;
  });
}

/**
 * The measured cost's inputs from a profile: the guided output's pooled sums (the cond branch's
 * without CFG, where it is the guided output) and the measured final gains.
 * @throws CacheProfileError when the profile carries no measured reuse cost (recorded by an older version)
 */
export function requireMeasuredPlacementInput(profile: CacheProfile): { pooled: PooledChannelSums; gain: readonly number[] } {
  const measured = profile.reuseCost;
  const series = profile.guided ?? profile.stats.cond;
  if (measured == null || series === undefined) {
    throw new CacheProfileError('ertacache: this profile has no measured reuse cost (it was recorded by an older version); profile the model again (studio profile), or set the reuse set to "placed"');
  }
  return { pooled: series.pooled, gain: measured.finalGain };
}
