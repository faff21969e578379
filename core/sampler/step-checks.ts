/**
 * Argument checks shared by every scheduler's step/scaleModelInput, and the checks on a freshly
 * built timestep list. A wrong length or index is a bug in the caller, so these throw RangeError;
 * an unusable timestep list comes from the config or the steps count, so that is a
 * SchedulerConfigError.
 */
import { SchedulerConfigError } from './scheduler-config-error';

export function checkStepIndex(stepIndex: number, numSteps: number): void {
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= numSteps) {
    throw new RangeError(`stepIndex ${stepIndex} is outside 0..${numSteps - 1}`);
  }
}

export function checkSameLength(modelOutput: Float32Array, sample: Float32Array): void {
  if (modelOutput.length !== sample.length) {
    throw new RangeError(`model output has ${modelOutput.length} values but the sample has ${sample.length}`);
  }
}

/** Steps must be a whole number ≥ 1 (and ≤ `max` where the schedule indexes a table). */
export function checkSteps(steps: number, max = Infinity): void {
  if (!Number.isInteger(steps) || steps < 1 || steps > max) {
    const range = max === Infinity ? '≥ 1' : `in 1..${max}`;
    throw new SchedulerConfigError(`steps must be an integer ${range}, got ${steps}`);
  }
}

/**
 * Timesteps must strictly decrease (a repeat would make a multistep solver divide by zero) and,
 * when they index the ᾱ table, be integers in [0, numTrainTimesteps).
 */
export function checkTimesteps(timesteps: Float64Array, numTrainTimesteps: number, indexesTable: boolean, what: string): void {
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i] as number;
    if (!Number.isFinite(t)) throw new SchedulerConfigError(`${what} gives a non-finite timestep`);
    if (indexesTable && (!Number.isInteger(t) || t < 0 || t >= numTrainTimesteps)) {
      throw new SchedulerConfigError(`${what} gives timestep ${t}, outside 0..${numTrainTimesteps - 1}; use fewer steps or another timestep_spacing/steps_offset`);
    }
    if (i > 0 && t >= (timesteps[i - 1] as number)) {
      throw new SchedulerConfigError(`${what} repeats timestep ${t}; use fewer steps`);
    }
  }
  if (timesteps.length === 0) throw new SchedulerConfigError(`${what} gives no timesteps`);
}
