/**
 * The compute schedule of the two profile-fitted forecasting methods: `linear` places its calls
 * uniformly, spread to the last step or by ERTACache's rule, `ertacache-forecast` always by ERTACache's rule.
 */
import type { CacheConfigOf } from '../cache-config';
import type { CacheProfile } from '../profile/profile-types';
import { placedComputeSteps, spreadComputeSteps, uniformComputeSteps } from './forecast-schedules';

export function linearComputeSteps(profile: CacheProfile, c: CacheConfigOf<'linear'> | CacheConfigOf<'ertacache-forecast'>): boolean[] {
  if (c.method === 'linear' && c.schedule === 'uniform') return uniformComputeSteps(profile.key.steps, c.calls);
  if (c.method === 'linear' && c.schedule === 'spread') return spreadComputeSteps(profile.key.steps, c.calls);
  return placedComputeSteps(profile, c.calls, c.signal);
}
