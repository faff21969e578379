/**
 * The decision rules of the two runtime-adaptive methods, written over plain numbers so the
 * runtime policies (which measure them on live tensors) and planSchedule (which replays them on a
 * profile's recorded statistics) run the same code.
 *
 * Both accumulate an estimate of how far the output drifted since the last computed step and
 * compute when it reaches the threshold. With CFG each branch accumulates its own estimate; the
 * step is reused only when every branch is under the threshold, and a computed step resets all
 * (one batched call serves both branches).
 */
import type { CacheDecision } from '../types';

/**
 * TeaCache: A_b += f(d_b) with d_b the probe's relative L1 change since the previous step and f
 * the rescaling polynomial; reuse while every A_b < δ. The first and last steps are always
 * computed. maxConsecutiveSkips > 0 caps runs of reused steps (ComfyUI's max_skip_steps).
 */
export class TeaCacheAccumulator {
  private accumulated: number[] = [];
  private skipped = 0;

  constructor(
    private readonly threshold: number,
    private readonly rescale: (relChange: number) => number,
    private readonly maxConsecutiveSkips: number,
  ) {}

  reset(): void {
    this.accumulated = [];
    this.skipped = 0;
  }

  /** relChanges: d_b per branch (same order every step). canReuse: false while nothing is cached. */
  decide(index: number, numSteps: number, relChanges: readonly number[], canReuse: boolean): CacheDecision {
    if (index === 0 || index === numSteps - 1 || !canReuse) return this.computed();
    this.accumulated = relChanges.map((d, b) => (this.accumulated[b] ?? 0) + this.rescale(d));
    const capped = this.maxConsecutiveSkips > 0 && this.skipped >= this.maxConsecutiveSkips;
    if (!capped && this.accumulated.every((a) => a < this.threshold)) {
      this.skipped++;
      return 'reuse';
    }
    return this.computed();
  }

  private computed(): CacheDecision {
    this.accumulated = [];
    this.skipped = 0;
    return 'compute';
  }
}

/**
 * EasyCache: with k_b = ‖v_a − v_b‖₁ / ‖x_a − x_b‖₁ from the branch's last two computed steps,
 * the predicted relative output change of this step is ε_b = k_b·‖x_t − x_{t−1}‖₁ / ‖v_last‖₁;
 * E_b += ε_b and reuse while every E_b < τ. The first `warmupSteps` steps and the last step are
 * computed, and so is any step before k is known (fewer than two computed steps).
 */
export class EasyCacheAccumulator {
  private accumulated: number[] = [];

  constructor(
    private readonly threshold: number,
    private readonly warmupSteps: number,
  ) {}

  reset(): void {
    this.accumulated = [];
  }

  /** predictedChanges: ε_b per branch, or undefined when some branch has no k yet. */
  decide(index: number, numSteps: number, predictedChanges: readonly number[] | undefined, canReuse: boolean): CacheDecision {
    if (index < this.warmupSteps || index === numSteps - 1 || !canReuse || predictedChanges === undefined) return this.computed();
    this.accumulated = predictedChanges.map((e, b) => (this.accumulated[b] ?? 0) + e);
    if (this.accumulated.every((a) => a < this.threshold)) return 'reuse';
    return this.computed();
  }

  private computed(): CacheDecision {
    this.accumulated = [];
    return 'compute';
  }
}

/** EasyCache's warm-up: the first ⌊R·T⌋ steps (at least step 0). */
export function easyCacheWarmupSteps(warmupRatio: number, numSteps: number): number {
  return Math.max(1, Math.floor(warmupRatio * numSteps));
}
