/**
 * What a hybrid setting will cost before it runs: which model each step goes to (the same plan
 * the back end runs, from core/hybrid) and the compute saved against a large-only run. With N
 * steps, K of them on the large model, and MACs per call M_large and M_small:
 *   large-model work saved  = 1 − K·M_large / (N·M_large)  (= 1 − K/N)
 *   large share of compute  = K·M_large / (K·M_large + (N−K)·M_small)
 *   total compute saved     = 1 − (K·M_large + (N−K)·M_small) / (N·M_large)
 * The last two need both models' MACs; without them only the first is known.
 */
import { hybridPlan, LARGE, type HybridOrder } from '../../../core/hybrid/hybrid-plan';

export type StepModel = 'large' | 'small';

export function stepModels(steps: number, largeSteps: number, order: HybridOrder): StepModel[] {
  return hybridPlan(steps, largeSteps, order).map((key) => (key === LARGE ? 'large' : 'small'));
}

export interface HybridPrediction {
  /** Share of a large-only run's large-model work that is not done, 0..1. */
  largeSaved: number;
  /** The large model's share of the run's compute, 0..1; null when a model's MACs are unknown. */
  largeShare: number | null;
  /** Share of a large-only run's total compute that is not done, 0..1; null when MACs are unknown. */
  totalSaved: number | null;
}

export function predictHybrid(steps: number, largeSteps: number, macsLarge: number | null, macsSmall: number | null): HybridPrediction {
  const largeSaved = steps > 0 ? 1 - largeSteps / steps : 0;
  if (macsLarge === null || macsSmall === null || steps === 0 || macsLarge <= 0) return { largeSaved, largeShare: null, totalSaved: null };
  const largeWork = largeSteps * macsLarge;
  const total = largeWork + (steps - largeSteps) * macsSmall;
  return { largeSaved, largeShare: total > 0 ? largeWork / total : 0, totalSaved: 1 - total / (steps * macsLarge) };
}
