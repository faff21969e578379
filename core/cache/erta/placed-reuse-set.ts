/**
 * ERTACache (a), placement variant 'placed': the same number of model calls as the greedy rule
 * (reuse-set.ts) gives for λ, placed for the least deviation reuse leaves in the final image:
 *   cost(S) = Σ over runs of cost(run)
 * a run being a computed step j, the reused steps j+1..k−1 from r_j, and the next computed step k.
 *
 * Run cost, measured (reuseSet 'measured'; profiles with `reuseCost`, recorded by `studio
 * profile`): the squared L2 deviation the run leaves in the final image, from the gains measured
 * on the model (measure-reuse-cost.ts) and the stale-residual errors' inner products
 * (measured-run-cost.ts). No constant in it is tuned.
 *
 * Run cost, proxy (reuseSet 'placed', the default: it scored higher than the measured cost on
 * the development prompts, ertacache.md): the paper's run deviation δ = Σ Δt·ε weighted by a
 * model of how much of it survives,
 *   cost(run) = ( Σ_{i in run} G(σ_{i+1})·Δt_i · e(j, i) )²
 * with e(j, i) = mean over prompts of ‖r_j − r_i‖₁ / ‖r_i‖₁ (the quantity the λ test bounds),
 * summed over the series; Δt_i = σ_i − σ_{i+1} (1, and G = 1, without a σ grid), and
 *   G(σ) = s / √((1−σ)²s² + σ²)      (s at σ = 1, 1 at σ = 0)
 * the flow-matching ODE's linear map from x_σ to x₀ for data x₀ ~ N(0, s²). s = PROPAGATION_SCALE
 * = 0.4 was fitted on a development prompt set of one model (ertacache.md); the measured cost
 * does without it. The σ grid of an ε/v model (Euler-discrete σ, unbounded) is mapped to the
 * equivalent flow time σ/(1 + σ) ∈ [0, 1) first.
 *
 * Every step after 0 may be reused, the last one included: its Δt is the smallest of the run.
 * Why not the greedy rule: it reuses every step whose error is below λ, in order, so it spends
 * model calls on the first steps until the error falls and then reuses long runs late, where
 * the deviation, unlike the per-step error, accumulates.
 * Exact minimum by dynamic programming over (steps computed so far, last computed step):
 * O(N·T²) time for N computed steps of T, a few ms for T = 50. Step 0 is always computed.
 */
import type { BranchProfile, PooledChannelSums } from '../profile/profile-types';
import { measuredRunCosts, residualGram } from './measured-run-cost';
import { meanStaleResidualError } from '../profile/reuse-error';
import type { ReuseSet } from './reuse-set';

/** Effective data scale s of G(σ) (see above). */
export const PROPAGATION_SCALE = 0.4;

/** G(σ) = s / √((1−σ)²s² + σ²): the share of a deviation at noise level σ ∈ [0, 1] left at σ = 0. */
export function propagationGain(sigma: number, s: number = PROPAGATION_SCALE): number {
  return s / Math.sqrt((1 - sigma) ** 2 * s * s + sigma * sigma);
}

/** Per step k: G(σ_{k+1})·Δt_k, the weight of an error in step k's output; 1 without a σ grid. */
export function placementWeights(sigmas: readonly number[] | null, steps: number): number[] {
  if (sigmas === null) return new Array<number>(steps).fill(1);
  // An Euler-discrete σ grid (σ_max > 1) as the equivalent flow time σ/(1 + σ).
  const t = (sigmas[0] as number) > 1 ? sigmas.map((sigma) => sigma / (1 + sigma)) : sigmas;
  return Array.from({ length: steps }, (_, k) => propagationGain(t[k + 1] as number) * Math.abs((t[k] as number) - (t[k + 1] as number)));
}

/** Stands in for an unbounded relative error (a zero residual ‖r_k‖₁ that reuse would change), so the DP still finds a placement. */
const UNBOUNDED_COST = 1e12;

/**
 * weight_k · mean over prompts of e(j, k) = ‖r_j − r_k‖₁ / ‖r_k‖₁, summed over the series: what
 * reusing step j's residual at step k adds to the run's deviation, in the paper's own (relative)
 * error measure, the one its λ test reads.
 */
function reuseCost(series: readonly BranchProfile[], weights: readonly number[], j: number, k: number): number {
  const weight = weights[k] as number;
  if (weight === 0) return 0;
  let sum = 0;
  for (const b of series) sum += meanStaleResidualError(b, j, k);
  return Number.isFinite(sum) ? weight * sum : UNBOUNDED_COST;
}

/** The proxy's run[j][k] (k = T: to the end): (Σ_{i=j+1}^{k−1} G·Δt_i·e(j, i))². */
function proxyRunCosts(series: readonly BranchProfile[], sigmas: readonly number[] | null, T: number): number[][] {
  const weights = placementWeights(sigmas, T);
  return Array.from({ length: T }, (_, j) => {
    const row = new Array<number>(T + 1).fill(0);
    let deviation = 0;
    for (let k = j + 1; k <= T; k++) {
      row[k] = deviation * deviation;
      if (k < T) deviation += reuseCost(series, weights, j, k);
    }
    return row;
  });
}

/** The measured cost's inputs: the guided output's pooled sums (the cond branch's without CFG) and the measured final-latent gain per step. */
export interface MeasuredPlacementInput {
  pooled: PooledChannelSums;
  gain: readonly number[];
}

/** Which run cost placed the steps: 'measured' (the profile's measured reuse cost) or 'proxy' (G(σ)·Δt·e). */
export type PlacementCost = 'measured' | 'proxy';

/**
 * @param series what the proxy cost is read from (erta-signal.ts)
 * @param branches the CFG branches, for `error` (the greedy criterion, so plans stay comparable)
 * @param sigmas the σ grid (length T + 1) or null for equal step weights (and no G); proxy only
 * @param computed how many steps to compute, 2..T (clamped)
 * @param measured the measured cost's inputs; null = the proxy
 */
export function placedReuseSet(series: readonly BranchProfile[], branches: readonly BranchProfile[], steps: number, sigmas: readonly number[] | null, computed: number, measured: MeasuredPlacementInput | null = null): ReuseSet & { cost: PlacementCost } {
  const T = steps;
  const N = Math.min(T, Math.max(Math.min(2, T), Math.round(computed)));
  // run[j][k]: cost of computing j, reusing j+1..k−1, computing k next (k = T: to the end).
  const run = measured === null ? proxyRunCosts(series, sigmas, T) : measuredRunCosts(residualGram(measured.pooled, T), measured.gain, T);
  // best[c][k]: least cost of steps 0..k with k the c-th computed step (c = 1 is step 0).
  const best = Array.from({ length: N + 1 }, () => new Array<number>(T).fill(Infinity));
  const from = Array.from({ length: N + 1 }, () => new Array<number>(T).fill(-1));
  (best[1] as number[])[0] = 0;
  for (let c = 2; c <= N; c++) {
    for (let k = c - 1; k < T; k++) {
      for (let j = c - 2; j < k; j++) {
        const cost = ((best[c - 1] as number[])[j] as number) + ((run[j] as number[])[k] as number);
        if (cost < ((best[c] as number[])[k] as number)) {
          (best[c] as number[])[k] = cost;
          (from[c] as number[])[k] = j;
        }
      }
    }
  }
  // The last computed step: the one whose trailing run (to the end) costs least in total; ties keep the later step.
  let lastComputed = T - 1;
  for (let k = T - 1, least = Infinity; k >= N - 1; k--) {
    const total = ((best[N] as number[])[k] as number) + ((run[k] as number[])[T] as number);
    if (total < least) {
      least = total;
      lastComputed = k;
    }
  }
  const compute = new Array<boolean>(T).fill(false);
  for (let c = N, k = lastComputed; c >= 1 && k >= 0; k = (from[c] as number[])[k] as number, c--) compute[k] = true;
  compute[0] = true;
  const source: number[] = [];
  const error: number[] = [];
  let last = 0;
  for (let k = 0; k < T; k++) {
    if (compute[k]) last = k;
    source.push(last);
    error.push(compute[k] ? 0 : Math.max(...branches.map((b) => meanStaleResidualError(b, last, k))));
  }
  return { compute, source, error, cost: measured === null ? 'proxy' : 'measured' };
}
