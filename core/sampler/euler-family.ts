/**
 * What the three plain-Euler samplers (Euler-discrete, flow-match Euler, Euler over an explicit
 * σ grid) share beyond their update: the update is one Euler step in σ, so its first-order
 * coefficients follow from the σ grid alone; they add no noise; and they keep no history, so
 * their hand-over state is just the next step index.
 */
import { checkImportedState, statelessState } from './scheduler-state';
import { checkStepIndex } from './step-checks';
import { eulerCoefficients } from './step-coefficients';
import type { PredictionType, Scheduler, SchedulerState, StepCoefficients } from './types';

export abstract class EulerFamilyScheduler implements Scheduler {
  abstract readonly className: string;
  abstract readonly config: Readonly<Record<string, unknown>>;
  abstract readonly predictionType: PredictionType;
  abstract readonly numSteps: number;
  abstract readonly timesteps: Float64Array;
  abstract readonly initNoiseSigma: number;
  abstract readonly sigmas: Float64Array;
  /** Set by each subclass's step(): the index the next step must have. */
  protected nextStepIndex = 0;

  abstract scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  abstract step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array): Float32Array;

  stepCoefficients(stepIndex: number): StepCoefficients {
    checkStepIndex(stepIndex, this.numSteps);
    return eulerCoefficients(this.sigmas[stepIndex] as number, this.sigmas[stepIndex + 1] as number, this.predictionType);
  }

  needsNoise(stepIndex: number): boolean {
    checkStepIndex(stepIndex, this.numSteps);
    return false;
  }

  stepNoiseStd(stepIndex: number): number {
    checkStepIndex(stepIndex, this.numSteps);
    return 0;
  }

  exportState(): SchedulerState {
    return statelessState(this, this.nextStepIndex);
  }

  importState(state: SchedulerState): void {
    checkImportedState(this, state);
    this.nextStepIndex = state.nextStepIndex;
  }
}
