/**
 * The denoising stage of every generation, from prepared inputs to the final latent: the step
 * plan, models and hook chain (denoise-setup.ts) around core/sampling's loop. txt2img runs it
 * once on an image latent [C, h, w], txt2vid once on a video latent [C, F, h, w], and a latent
 * walk once per frame with that frame's noise and prompt embeddings.
 *
 * Step i's fresh noise (stochastic samplers only) is stream i + 1 of the request's seed, whatever
 * the starting noise was, so a walk's frames differ only where the walk moves them.
 */
import type { CacheConfig, CacheRunStats } from '../../contract/cache';
import { gaussianNoise } from '../../core/noise/gaussian-noise';
import type { ProfileRecorder } from '../../core/cache';
import type { CompensationHook } from '../../core/quant/compensation-hook';
import { type LatentShape, latentDims, latentSize } from '../../core/sampling/latent-shape';
import { sample, type SampleResult } from '../../core/sampling/sample';
import type { StepHook } from '../../core/sampling/step-hooks';
import type { StepPlan } from '../../core/sampling/step-plan';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { asCacheRequestError, type CacheSetup } from './cache-setup';
import { denoiseSetup } from './denoise-setup';
import type { PromptContext } from './runner-denoise-model';
import { throwIfCancelled } from './cancellation';
import type { Txt2ImgParams } from './txt2img';

export interface SampleInputs {
  /** Prompt embeddings [B, L, D]: [uncond, cond] when cfg > 1, else [cond]. */
  prompt: PromptContext;
  shape: LatentShape;
  /** Standard normal starting noise, latentSize(shape) values. */
  initialNoise: Float32Array;
}

export interface SampleRun {
  signal?: AbortSignal;
  recorder?: ProfileRecorder;
  /** Appended to the hook chain, after cache, compensation and recorder (a live preview reads the final outputs). */
  extraHooks?: readonly StepHook[];
  /** After each step (done = steps finished); a returned promise is awaited before the next step. */
  onStep?: (done: number) => void | Promise<void>;
}

export interface SampledLatents {
  denoised: SampleResult;
  plan: StepPlan;
  compensation?: CompensationHook;
}

/**
 * @param cache a fresh setUpCache for this sampling: a cache policy carries state from step to step
 * @throws StudioError CANCELLED | INVALID_REQUEST (cache) | MODEL_* | INTERNAL
 */
export async function sampleLatents(pipeline: LoadedPipeline, params: Txt2ImgParams, cache: CacheSetup, inputs: SampleInputs, run: SampleRun = {}): Promise<SampledLatents> {
  const { shape, prompt } = inputs;
  const { scheduler } = cache;
  const size = latentSize(shape);
  const { recorder, signal } = run;
  const { plan, models, hooks, compensation } = denoiseSetup({ pipeline, params, scheduler, cache, prompt, latentDims: latentDims(shape), ...(recorder ? { recorder } : {}), ...(signal ? { signal } : {}) });
  try {
    const denoised = await sample({
      scheduler,
      plan,
      models,
      hooks: run.extraHooks ? [...hooks, ...run.extraHooks] : hooks,
      shape,
      initialNoise: inputs.initialNoise,
      stepNoise: (i) => gaussianNoise(params.seed, size, i + 1),
      cfg: params.cfg,
      useProbe: cache.useProbe,
      now: () => performance.now(),
      checkpoint: () => throwIfCancelled(signal),
      ...(run.onStep ? { onStep: run.onStep } : {}),
    });
    return { denoised, plan, ...(compensation === undefined ? {} : { compensation }) };
  } catch (err) {
    throw asCacheRequestError(err);
  }
}

/** The cache config that ran and what it did in one sampling; both absent without a cache. */
export interface CacheOutcome {
  cacheConfig?: CacheConfig;
  /** profileId is null: the caller knows the profile. */
  cacheStats?: CacheRunStats;
}

export function cacheOutcome(cache: CacheSetup, denoised: SampleResult): CacheOutcome {
  const { policy, scheduler } = cache;
  if (policy === undefined) return {};
  return {
    cacheConfig: policy.config,
    cacheStats: { modelCalls: denoised.computeSteps.filter(Boolean).length, steps: scheduler.numSteps, computeSteps: denoised.computeSteps, profileId: null, ...policy.forecastStats?.() },
  };
}
