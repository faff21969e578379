/**
 * Which model runs which step of a hybrid run. `largeSteps` K of N steps go to the large model:
 *   large-first (Hybrid SD): large for steps 0..K−1, small for the rest;
 *   small-first (T-Stitch):  small for steps 0..N−K−1, large for the last K.
 * K = N is exactly a large-only run and K = 0 a small-only run, whatever the order.
 */
import { splitPlan, type StepPlan } from '../sampling/step-plan';

export const HYBRID_ORDERS = ['large-first', 'small-first'] as const;
export type HybridOrder = (typeof HYBRID_ORDERS)[number];

/** Plan keys of the two models. */
export const LARGE = 'large';
export const SMALL = 'small';

/** @throws RangeError when K is not an integer in 0..steps */
export function hybridPlan(steps: number, largeSteps: number, order: HybridOrder): StepPlan {
  if (!Number.isInteger(largeSteps) || largeSteps < 0 || largeSteps > steps) {
    throw new RangeError(`the large model's step count must be an integer in 0..${steps}, got ${largeSteps}`);
  }
  return order === 'large-first' ? splitPlan(steps, LARGE, largeSteps, SMALL) : splitPlan(steps, SMALL, steps - largeSteps, LARGE);
}
