/**
 * Drives a policy through hand-made per-step tensors (no scheduler), the way the loop would:
 * decide → onComputed with the given outputs | reuse. Returns the compute pattern.
 */
import type { Branch, CachePolicy, CacheStepContext } from '../../../core/cache/types';

export interface Step {
  input: Float32Array;
  /** Model output per branch if the step is computed (the same output for every listed branch when a Float32Array). */
  output: Float32Array | Partial<Record<Branch, Float32Array>>;
  probe?: Float32Array;
}

export function stepContext(index: number, numSteps: number, step: Step, branches: readonly Branch[]): CacheStepContext {
  const ctx: CacheStepContext = { index, numSteps, timestep: 1000 - index, inputs: new Map(branches.map((b) => [b, step.input])) };
  if (step.probe !== undefined) ctx.probe = new Map(branches.map((b) => [b, step.probe as Float32Array]));
  return ctx;
}

export function outputsOf(step: Step, branches: readonly Branch[]): Map<Branch, Float32Array> {
  return new Map(branches.map((b) => [b, step.output instanceof Float32Array ? step.output : (step.output[b] as Float32Array)]));
}

export function drive(policy: CachePolicy, steps: readonly Step[], branches: readonly Branch[] = ['cond']): boolean[] {
  return steps.map((step, i) => {
    const ctx = stepContext(i, steps.length, step, branches);
    if (policy.decide(ctx) === 'compute') {
      policy.onComputed(ctx, outputsOf(step, branches));
      return true;
    }
    policy.reuse(ctx);
    return false;
  });
}

/** A constant vector of length n. */
export function filled(n: number, value: number): Float32Array {
  return new Float32Array(n).fill(value);
}
