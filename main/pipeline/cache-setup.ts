/**
 * The cache side of one txt2img run, decided before the first step: which policy decides
 * compute/reuse, which scheduler samples (ERTACache's time adjustment samples on its own σ grid),
 * and whether TeaCache's probe (main/runtime/cache-probe.ts) runs at every step.
 *
 * Every reason the engine refuses a run — a bad config, a missing or mismatched calibration
 * profile, time adjustment on a non-Euler scheduler, a profile recorded with a probe the model
 * does not have — becomes StudioError('INVALID_REQUEST', …, 'cache') with the engine's reason,
 * so the user sees e.g. "ertacache: profile was made for 30 steps, this run uses 50; recalibrate".
 */
import type { CacheConfig } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { CacheConfigError, CacheProfileError, createCachePolicy, profileKeyFor, schedulerForCache, type CachePolicy, type CacheProfile } from '../../core/cache';
import type { Scheduler } from '../../core/sampler/types';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';

/** What a caller asks of the cache for one run. */
export interface Txt2ImgCache {
  /** The validated config (defaults filled) of the request. */
  config: CacheConfig;
  /** The calibration profile for methods that need one (checked against this run before use). */
  profile?: CacheProfile;
  /** Hash of the running pipeline (Recipe.modelHash): part of the key a profile must match. */
  modelHash: string;
}

export interface CacheSetup {
  /** undefined: no cache, every step runs the model exactly as an uncached run. */
  policy: CachePolicy | undefined;
  /** The scheduler the loop drives (the base one, or ERTACache's adjusted grid over it). */
  scheduler: Scheduler;
  /** Run the probe each step (TeaCache with a probe-fitted polynomial, or a calibration run on a model with a probe). */
  useProbe: boolean;
}

/** Engine errors as INVALID_REQUEST about `cache`; anything else passes through. */
export function asCacheRequestError(err: unknown): unknown {
  if (err instanceof CacheConfigError || err instanceof CacheProfileError) return new StudioError('INVALID_REQUEST', err.message, 'cache');
  return err;
}

/**
 * @param base the scheduler built from the request
 * @param recording true for a calibration run (a ProfileRecorder is attached)
 * @param frames a video run's frames (part of the key its profile must match); absent for a still
 * @throws StudioError INVALID_REQUEST
 */
export function setUpCache(pipeline: LoadedPipeline, base: Scheduler, cfg: number, cache: Txt2ImgCache | undefined, recording: boolean, frames?: number): CacheSetup {
  const hasProbe = pipeline.probe !== undefined;
  if (cache === undefined) return { policy: undefined, scheduler: base, useProbe: recording && hasProbe };
  try {
    const key = profileKeyFor(base, { modelHash: cache.modelHash, cfg, width: pipeline.geometry.width, height: pipeline.geometry.height, ...(frames === undefined ? {} : { frames }) });
    const policy = createCachePolicy(cache.config, cache.profile && { profile: cache.profile, key });
    const scheduler = schedulerForCache(policy, base);
    let useProbe = recording && hasProbe;
    if (policy.method === 'teacache' && policy.config.method === 'teacache') {
      // A fitted polynomial only holds for the signal it was fitted on; published coefficients are for the probe.
      const fittedOn = policy.config.coefficients !== null ? (hasProbe ? 'probe' : 'input') : (cache.profile?.probeSource ?? 'input');
      if (fittedOn === 'probe' && !hasProbe) {
        throw new StudioError(
          'INVALID_REQUEST',
          `teacache: the calibration profile was recorded with the model's TeaCache probe (${pipeline.layout.denoiser}/probe.onnx), which ${pipeline.layout.dir} does not have; recalibrate this model or pick another method.`,
          'cache',
        );
      }
      useProbe = fittedOn === 'probe';
    }
    // The recorder needs every step's model output, in order.
    if (recording && policy.method !== 'none') throw new StudioError('INTERNAL', `A calibration run must compute every step; it was given cache method ${policy.method}.`);
    return { policy, scheduler, useProbe };
  } catch (err) {
    throw asCacheRequestError(err);
  }
}
