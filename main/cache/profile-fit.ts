/**
 * Whether a stored calibration profile's own data fits the run it was matched to.
 *
 * A profile is matched by its key (model hash, scheduler, steps, shift, CFG, size), but an
 * imported file can carry a key that matches and data recorded for something else: other
 * timesteps (another scheduler config or spacing) or another latent shape (another VAE or
 * channel count). The policies index the profile by step and channel, so such a profile would
 * give wrong plans or read past its arrays. It is refused with what differs.
 */
import type { Scheduler } from '../../core/sampler/types';
import type { CacheProfile } from '../../core/cache';
import { StudioError } from '../../contract/errors';
import type { PipelineGeometry } from '../runtime/pipeline-geometry';

/** Timesteps travel through JSON as decimals; this relative tolerance absorbs the rounding. */
const TIMESTEP_TOLERANCE = 1e-6;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TIMESTEP_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Why `profile` does not fit a run with `scheduler` on a pipeline of `geometry`; undefined when it fits.
 * A video run's latent [C, F, h, w] is recorded as [C, F·h, w] (the same values in the same order).
 */
export function profileFitProblem(profile: Pick<CacheProfile, 'timesteps' | 'latentShape'>, scheduler: Pick<Scheduler, 'timesteps'>, geometry: PipelineGeometry, frames?: number): string | undefined {
  const run = [geometry.latentChannels, (frames ?? 1) * geometry.latentHeight, geometry.latentWidth];
  if (profile.latentShape.some((v, i) => v !== run[i])) {
    return `its latent shape is ${profile.latentShape.join('×')}, but this model's latents are ${run.join('×')}`;
  }
  const want = Array.from(scheduler.timesteps);
  if (profile.timesteps.length !== want.length) return `it holds ${profile.timesteps.length} timesteps, but this run has ${want.length}`;
  const i = want.findIndex((t, k) => !close(t, profile.timesteps[k] as number));
  if (i >= 0) return `its timestep ${i + 1} is ${profile.timesteps[i]}, but this run's is ${want[i]}`;
  return undefined;
}

/**
 * @param id the stored profile's id, for the message
 * @throws StudioError INVALID_REQUEST (field `cache`) naming the difference
 */
export function assertProfileFits(id: number, profile: Pick<CacheProfile, 'timesteps' | 'latentShape'>, scheduler: Pick<Scheduler, 'timesteps'>, geometry: PipelineGeometry, frames?: number): void {
  const problem = profileFitProblem(profile, scheduler, geometry, frames);
  if (problem === undefined) return;
  throw new StudioError('INVALID_REQUEST', `Cache profile ${id} matches this run's settings but was recorded for another run: ${problem}. Delete it and record a new one.`, 'cache');
}
