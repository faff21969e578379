/**
 * The values of a method's main knob at which its plan changes, so a slider can step through
 * distinct plans only. Over much of a threshold's range the plan is the same (ERTACache's λ
 * above the last step's error bound skips nothing more), and a slider that spans it moves
 * without changing anything.
 *
 * The knob's grid (main-knob.ts) is swept through planSchedule; a grid value is a stop when its
 * plan — which steps run the model, and the mean model calls for the approximate methods —
 * differs from the previous value's. The first grid value is always a stop. Between two stops
 * every value gives the first one's plan, so the stops offer every distinct plan once.
 */
import { type CacheCalibration } from './create-cache-policy';
import type { CacheConfig } from './cache-config';
import { CacheConfigError, CacheProfileError } from './cache-errors';
import { knobGrid, MAIN_KNOB_RANGE, withMainKnob } from './main-knob';
import { planSchedule, type SchedulePlan } from './plan-schedule';

/** What a slider position changes: the steps that run, and (approximate plans) the mean calls. */
function planSignature(plan: SchedulePlan): string {
  return `${plan.computeSteps.map((run) => (run ? 1 : 0)).join('')}|${plan.modelCalls.toFixed(3)}`;
}

/**
 * @param config a validated config; its main knob's value is ignored (every grid value is tried)
 * @returns ascending knob values; [] for 'none', and when the planner refuses every value (a
 *   method that needs a profile, without one). Grid values the planner refuses are skipped.
 */
export function planStops(config: CacheConfig, numSteps: number, calibration?: CacheCalibration): number[] {
  const range = MAIN_KNOB_RANGE[config.method];
  if (range === null) return [];
  const stops: number[] = [];
  let previous: string | undefined;
  for (const value of knobGrid(range)) {
    let plan: SchedulePlan;
    try {
      plan = planSchedule(withMainKnob(config, value), numSteps, calibration);
    } catch (err) {
      if (err instanceof CacheConfigError || err instanceof CacheProfileError) continue;
      throw err;
    }
    const signature = planSignature(plan);
    if (signature !== previous) stops.push(value);
    previous = signature;
  }
  return stops;
}
