/**
 * State hand-over between scheduler instances (SchedulerState in types.ts): what a stateless
 * sampler exports, and the checks every importer makes so a state from another schedule is
 * refused instead of silently continuing on the wrong grid.
 */
import type { Scheduler, SchedulerState } from './types';

/** The state of a sampler whose step depends only on its arguments. */
export function statelessState(s: Pick<Scheduler, 'className' | 'numSteps'>, nextStepIndex: number): SchedulerState {
  return { className: s.className, numSteps: s.numSteps, nextStepIndex, history: [] };
}

/** @throws RangeError when `state` came from another class or step count, or points past the last step */
export function checkImportedState(s: Pick<Scheduler, 'className' | 'numSteps'>, state: SchedulerState): void {
  if (state.className !== s.className || state.numSteps !== s.numSteps) {
    throw new RangeError(`scheduler state of ${state.className} with ${state.numSteps} steps cannot continue ${s.className} with ${s.numSteps} steps`);
  }
  if (!Number.isInteger(state.nextStepIndex) || state.nextStepIndex < 0 || state.nextStepIndex > s.numSteps) {
    throw new RangeError(`scheduler state points at step ${state.nextStepIndex}, outside 0..${s.numSteps}`);
  }
}
