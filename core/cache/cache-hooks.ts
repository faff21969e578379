/**
 * The caching engine as links of the loop's hook chain (core/sampling/step-hooks.ts):
 *   - a cache policy decides at beforeCall whether the step reuses (and supplies the rebuilt
 *     outputs) or computes, and stores each computed step's outputs at afterCall;
 *   - a calibration recorder sees every computed step's outputs at afterCall.
 * The policy's decide is called exactly once per step, in order, as its contract requires.
 */
import type { StepCall, StepHook } from '../sampling/step-hooks';
import type { StepPlan } from '../sampling/step-plan';
import type { ProfileRecorder } from './profile/profile-recorder';
import type { CachePolicy } from './types';

export function cachePolicyHook(policy: CachePolicy): StepHook {
  return {
    name: 'cache',
    beforeCall: (call) => (policy.decide(call) === 'reuse' ? policy.reuse(call) : undefined),
    afterCall: (call, outputs) => policy.onComputed(call, outputs),
  };
}

/**
 * One cache context per model of a multi-model plan (hybrid runs): each step goes to the policy
 * of the model the plan assigns it, so a policy only ever sees, stores and reuses its own model's
 * outputs. Each policy sees its model's steps as a run of their own — index 0..n−1 over the n
 * steps the plan gives that model — since a policy counts steps from 0, and its first step after a
 * switch has nothing cached from this model anyway.
 */
export function perModelCacheHook(policies: ReadonlyMap<string, CachePolicy>, plan: StepPlan): StepHook {
  const count = new Map<string, number>();
  const local: number[] = plan.map((model) => {
    const n = count.get(model) ?? 0;
    count.set(model, n + 1);
    return n;
  });
  const route = (call: StepCall): [CachePolicy, StepCall] => {
    const policy = policies.get(call.model);
    if (policy === undefined) throw new RangeError(`no cache policy for model "${call.model}"`);
    return [policy, { ...call, index: local[call.index] as number, numSteps: count.get(call.model) as number }];
  };
  return {
    name: 'cache',
    beforeCall: (call) => {
      const [policy, own] = route(call);
      return policy.decide(own) === 'reuse' ? policy.reuse(own) : undefined;
    },
    afterCall: (call, outputs) => {
      const [policy, own] = route(call);
      policy.onComputed(own, outputs);
    },
  };
}

export function profileRecorderHook(recorder: ProfileRecorder): StepHook {
  return { name: 'recorder', afterCall: (call, outputs) => recorder.record(call, outputs) };
}
