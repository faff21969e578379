/**
 * ERTACache (b): the trajectory-aware time grid. A reused step integrates only φ_k of its nominal
 * step; the time it did not spend is spread over the remaining steps in proportion to their
 * nominal sizes, so the grid keeps the schedule's shape (including a flow model's shift) and
 * still ends exactly at the schedule's end σ_end:
 *   τ₀ = t₀,  ρ_k = (τ_k − σ_end) / (t_k − σ_end)         (share of remaining time, 1 at the start)
 *   Δ'_k = (t_k − t_{k+1})·ρ_k                              (= (t_k − t_{k+1})·τ/t_k for σ_end = 0,
 *                                                             the formula of shared/reference/ertacache.md)
 *   computed step: τ_{k+1} = τ_k − Δ'_k   (ρ unchanged)      reused step: τ_{k+1} = τ_k − φ_k·Δ'_k
 *   the last step always lands on σ_end.
 * The same grid serves flow models (t = σ of flow-match Euler, x = (1−σ)x₀ + σ·noise) and ε/v
 * models (σ of Euler-discrete, x = x₀ + σ·noise): both are Euler steps in σ, so "shrink Δσ by φ"
 * means the same thing (our choice for ε/v models; the paper only treats flow matching).
 * With no reused step (or φ = 1 everywhere) the grid is the nominal one, value for value.
 */

/**
 * @param nominal the scheduler's σ grid, length T + 1, non-increasing.
 * @param compute per step, true = computed (length T).
 * @param phi per step φ ∈ [0, 1] (read only on reused steps).
 * @returns the adjusted grid τ, length T + 1.
 */
export function adjustedSigmaGrid(nominal: ArrayLike<number>, compute: readonly boolean[], phi: readonly number[]): Float64Array {
  const T = nominal.length - 1;
  if (compute.length !== T || phi.length !== T) throw new RangeError(`time grid: ${nominal.length} sigmas need ${T} steps, got ${compute.length} decisions and ${phi.length} φ`);
  const end = nominal[T] as number;
  const tau = new Float64Array(T + 1);
  tau[0] = nominal[0] as number;
  let rho = 1;
  for (let k = 0; k < T; k++) {
    const next = nominal[k + 1] as number;
    if (k === T - 1) tau[k + 1] = end;
    else if (compute[k] === true || (rho === 1 && phi[k] === 1)) tau[k + 1] = rho === 1 ? next : end + rho * (next - end);
    else {
      const f = phi[k] as number;
      if (!(f >= 0 && f <= 1)) throw new RangeError(`time grid: φ at step ${k} is ${f}, outside [0, 1]`);
      tau[k + 1] = (tau[k] as number) - f * rho * ((nominal[k] as number) - next);
      rho = next > end ? ((tau[k + 1] as number) - end) / (next - end) : 1;
    }
  }
  return tau;
}
