/**
 * What one txt2img run hands the sampling loop besides the scheduler: the step plan, the model
 * behind each plan key, and the hook chain in its order — cache policy (one context per model in
 * a hybrid run), quantization compensation, calibration recorder (core/sampling/step-hooks.ts).
 */
import { cachePolicyHook, perModelCacheHook, profileRecorderHook, type ProfileRecorder } from '../../core/cache';
import { hybridPlan, LARGE, SMALL } from '../../core/hybrid/hybrid-plan';
import { compensationHook, type CompensationHook } from '../../core/quant/compensation-hook';
import type { Scheduler } from '../../core/sampler/types';
import type { DenoiseModel } from '../../core/sampling/denoise-model';
import type { StepHook } from '../../core/sampling/step-hooks';
import { type StepPlan, uniformPlan } from '../../core/sampling/step-plan';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { type CacheSetup, setUpCache } from './cache-setup';
import { FallbackDenoiseModel } from './fallback-denoise-model';
import { type PromptContext, RunnerDenoiseModel } from './runner-denoise-model';
import type { Txt2ImgHybrid, Txt2ImgParams } from './txt2img';

/** The plan key of the pipeline's one denoiser. */
const DENOISER = 'denoiser';

export interface DenoiseSetup {
  plan: StepPlan;
  models: Map<string, DenoiseModel>;
  hooks: StepHook[];
  /** The compensation hook, for its time; absent without params.compensation. */
  compensation?: CompensationHook;
}

export interface DenoiseInputs {
  pipeline: LoadedPipeline;
  params: Txt2ImgParams;
  scheduler: Scheduler;
  cache: CacheSetup;
  prompt: PromptContext;
  /** [C, h, w] or [C, F, h, w]. */
  latentDims: readonly number[];
  recorder?: ProfileRecorder;
  signal?: AbortSignal;
}

export function denoiseSetup(x: DenoiseInputs): DenoiseSetup {
  const { pipeline, params, scheduler, cache, prompt, latentDims, signal } = x;
  const own = new RunnerDenoiseModel(pipeline.denoiser, pipeline.probe, latentDims, prompt, signal);
  const { hybrid } = params;
  const plan = hybrid === undefined ? uniformPlan(scheduler.numSteps, DENOISER) : hybridPlan(scheduler.numSteps, hybrid.largeSteps, hybrid.order);
  const models = new Map<string, DenoiseModel>(
    hybrid === undefined
      ? [[DENOISER, own]]
      : [
          [LARGE, largeModelOf(hybrid, own, latentDims, prompt, scheduler, signal)],
          [SMALL, new RunnerDenoiseModel(hybrid.small.denoiser, hybrid.small.probe, latentDims, prompt, signal)],
        ],
  );
  const hooks: StepHook[] = [];
  if (cache.policy !== undefined && hybrid === undefined) hooks.push(cachePolicyHook(cache.policy));
  if (cache.policy !== undefined && hybrid !== undefined) {
    // A separate cache context per model: the small model's outputs never stand in for the large one's.
    const smallCache = setUpCache(hybrid.small, scheduler, params.cfg, params.cache, false);
    hooks.push(perModelCacheHook(new Map([[LARGE, cache.policy], [SMALL, smallCache.policy ?? cache.policy]]), plan));
  }
  const compensation = params.compensation && compensationHook({ ...params.compensation, cfg: params.cfg, coefficients: (i) => scheduler.stepCoefficients(i), noiseStd: (i) => scheduler.stepNoiseStd(i) }, () => performance.now());
  if (compensation !== undefined) hooks.push(compensation);
  if (x.recorder !== undefined) hooks.push(profileRecorderHook(x.recorder));
  return { plan, models, hooks, ...(compensation === undefined ? {} : { compensation }) };
}

/** The large model of a hybrid run: local, on a server, or on a server with the local one as fallback. */
function largeModelOf(hybrid: Txt2ImgHybrid, local: DenoiseModel, dims: readonly number[], context: PromptContext, scheduler: Scheduler, signal: AbortSignal | undefined): DenoiseModel {
  if (hybrid.largeDenoiser === undefined) return local;
  const remote = new RunnerDenoiseModel(hybrid.largeDenoiser, undefined, dims, context, signal);
  const onFailure = hybrid.onRemoteFailure;
  if (onFailure === undefined) return remote;
  return new FallbackDenoiseModel(remote, local, (timestep, reason) => onFailure(scheduler.timesteps.indexOf(timestep), reason));
}
