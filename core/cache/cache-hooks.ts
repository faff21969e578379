/**
 * The caching engine as links of the loop's hook chain (core/sampling/step-hooks.ts):
 *   - a cache policy decides at beforeCall whether the step reuses (and supplies the rebuilt
 *     outputs) or computes, and stores each computed step's outputs at afterCall;
 *   - a calibration recorder sees every computed step's outputs at afterCall.
 * The policy's decide is called exactly once per step, in order, as its contract requires.
 */
import type { StepHook } from '../sampling/step-hooks';
import type { ProfileRecorder } from './profile/profile-recorder';
import type { CachePolicy } from './types';

export function cachePolicyHook(policy: CachePolicy): StepHook {
  return {
    name: 'cache',
    beforeCall: (call) => (policy.decide(call) === 'reuse' ? policy.reuse(call) : undefined),
    afterCall: (call, outputs) => policy.onComputed(call, outputs),
  };
}

export function profileRecorderHook(recorder: ProfileRecorder): StepHook {
  return { name: 'recorder', afterCall: (call, outputs) => recorder.record(call, outputs) };
}
