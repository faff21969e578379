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
import { fitTeaCachePolynomial, teaCachePairs } from './teacache-polynomial';
import { ertaSeries } from './erta/erta-signal';
import { greedyReuseSet } from './erta/reuse-set';

/** What a slider position changes: the steps that run, and (approximate plans) the mean calls. */
function planSignature(plan: SchedulePlan): string {
  return `${plan.computeSteps.map((run) => (run ? 1 : 0)).join('')}|${plan.modelCalls.toFixed(3)}`;
}

/**
 * ERTACache's plan (planSchedule: the placed reuse set) depends on λ only through the number of
 * model calls the greedy rule makes at λ, and a different number is a different plan: so the
 * stops are where that count changes. Only the greedy rule runs per λ, not the placement (the
 * costly part: seconds over the whole grid on two cores).
 */
function ertaStops(grid: readonly number[], calibration: CacheCalibration, numSteps: number): number[] {
  const branches = ertaSeries(calibration.profile, 'branches');
  const stops: number[] = [];
  let previous: number | undefined;
  for (const lambda of grid) {
    const calls = greedyReuseSet(branches, numSteps, lambda).compute.filter(Boolean).length;
    if (calls !== previous) stops.push(lambda);
    previous = calls;
  }
  return stops;
}

/**
 * What planSchedule would redo at every value: TeaCache's rescaling polynomial, fitted once here
 * (the same fit from the same profile). A fit that fails is left to planSchedule to report.
 */
function withFittedCoefficients(config: CacheConfig, calibration: CacheCalibration | undefined): CacheConfig {
  if (config.method !== 'teacache' || config.coefficients !== null || calibration === undefined) return config;
  try {
    return { ...config, coefficients: fitTeaCachePolynomial(teaCachePairs(calibration.profile)) };
  } catch {
    return config;
  }
}

/**
 * @param config a validated config; its main knob's value is ignored (every grid value is tried)
 * @returns ascending knob values; [] for 'none', and when the planner refuses every value (a
 *   method that needs a profile, without one). Grid values the planner refuses are skipped.
 */
export function planStops(config: CacheConfig, numSteps: number, calibration?: CacheCalibration): number[] {
  const range = MAIN_KNOB_RANGE[config.method];
  if (range === null) return [];
  if (config.method === 'ertacache' && calibration !== undefined && calibration.key.steps === numSteps) {
    return ertaStops(knobGrid(range), calibration, numSteps);
  }
  const swept = withFittedCoefficients(config, calibration);
  const stops: number[] = [];
  let previous: string | undefined;
  for (const value of knobGrid(range)) {
    let plan: SchedulePlan;
    try {
      // Only which steps run matters here: the error estimate is skipped.
      plan = planSchedule(withMainKnob(swept, value), numSteps, calibration, { error: false });
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
