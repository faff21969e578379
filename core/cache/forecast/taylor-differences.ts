/**
 * TaylorSeer's forecast (arXiv 2503.06923; taylor_utils in Shenyi-Z/TaylorSeer) for one series,
 * e.g. one CFG branch's model output, a latent-sized Float32Array.
 *
 * At each computed ("full") step s with the previous one at s − d (d in step indices):
 *   Δ⁰ = F_s,  Δⁱ⁺¹ = (Δⁱ_now − Δⁱ_prev) / d      for i < order, where Δⁱ_prev exists
 * and a skipped step k steps after the last full one gets
 *   F̂ = Σ_{i ≤ order} Δⁱ · kⁱ / i!
 * These are backward differences: order 1 is exact on linear trajectories, order 2 is not the
 * exact quadratic extrapolant (for F = t² at full steps 0, 4, 8 it forecasts 92 at step 10, not
 * 100), as in the published code. Orders not yet available (too few full steps) are left out.
 * Memory: order + 1 latent-sized arrays.
 */
export class TaylorDifferences {
  private differences: Float32Array[] = [];
  private lastStep = -1;

  constructor(readonly order: number) {
    if (!Number.isInteger(order) || order < 0) throw new RangeError(`TaylorSeer order must be an integer ≥ 0, got ${order}`);
  }

  reset(): void {
    this.differences = [];
    this.lastStep = -1;
  }

  /** The step of the last full update, −1 before the first. */
  get anchorStep(): number {
    return this.lastStep;
  }

  /** Δⁱ at the last full step (i ≤ the orders available so far). */
  difference(i: number): Float32Array | undefined {
    return this.differences[i];
  }

  /** Records a full step's feature (copied). Steps must increase. */
  update(step: number, feature: Float32Array): void {
    if (step <= this.lastStep) throw new RangeError(`TaylorSeer: full step ${step} after ${this.lastStep}`);
    const d = step - this.lastStep;
    const next: Float32Array[] = [feature.slice()];
    for (let i = 0; i < this.order && i < this.differences.length; i++) {
      const now = next[i] as Float32Array;
      const prev = this.differences[i] as Float32Array;
      if (prev.length !== now.length) throw new RangeError(`TaylorSeer: feature has ${now.length} values, the previous one ${prev.length}`);
      const diff = new Float32Array(now.length);
      for (let j = 0; j < now.length; j++) diff[j] = ((now[j] as number) - (prev[j] as number)) / d;
      next.push(diff);
    }
    this.differences = next;
    this.lastStep = step;
  }

  /** F̂ at `step` (> the last full step) into a new array. */
  forecast(step: number): Float32Array {
    const base = this.differences[0];
    if (base === undefined) throw new RangeError('TaylorSeer: nothing to forecast from; the first step must be computed');
    const k = step - this.lastStep;
    const out = base.slice();
    let coefficient = 1;
    for (let i = 1; i < this.differences.length; i++) {
      coefficient *= k / i;
      const diff = this.differences[i] as Float32Array;
      for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + coefficient * (diff[j] as number);
    }
    return out;
  }
}
