/**
 * A latent walk: a clip from an image model, one image sampling per frame, along a path between
 * two starting noises and two prompts.
 *
 *   noiseA   = gaussianNoise(seed, C·h·w)          noiseB = gaussianNoise(toSeed, C·h·w)
 *   condA    = embed(prompt)                       condB  = embed(toPrompt)         [L, D]
 *   frame i of F, t = i/(F−1):
 *     noise_i = slerp(noiseA, noiseB, t)           (core/sampling/interpolate.ts)
 *     cond_i  = lerp(condA, condB, t)              the uncond branch stays the negative prompt
 *     latent_i = sample(noise_i, [uncond, cond_i]) same scheduler, steps, cfg and cache
 *   rgb_i    = vaeDecoder(latent_i)
 *
 * Each frame starts a fresh cache policy (a policy's state belongs to one trajectory), and
 * progress counts steps over the whole clip: F·steps.
 */
import { StudioError } from '../../contract/errors';
import type { CacheRunStats } from '../../contract/cache';
import { gaussianNoise, NOISE_GENERATOR_ID } from '../../core/noise/gaussian-noise';
import { lerp, slerp, walkFraction } from '../../core/sampling/interpolate';
import { type LatentShape, latentSize } from '../../core/sampling/latent-shape';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { setUpCache } from './cache-setup';
import { throwIfCancelled } from './cancellation';
import { type ClipResult, concatCacheStats } from './clip-result';
import { decodeFrames } from './decode-frames';
import { encodePrompts, promptContext } from './encode-prompts';
import { cacheOutcome, sampleLatents } from './sample-latents';
import { schedulerFor, type Txt2ImgHooks, type Txt2ImgParams } from './txt2img';

export interface LatentWalkParams extends Txt2ImgParams {
  frames: number;
  /** Seed of the last frame's noise. */
  toSeed: number;
  /** Prompt of the last frame. */
  toPrompt: string;
}

/** @throws StudioError PROMPT_TOO_LONG | CANCELLED | INVALID_REQUEST (hybrid, scheduler, cache) | MODEL_* | INTERNAL */
export async function latentWalk(pipeline: LoadedPipeline, params: LatentWalkParams, hooks: Pick<Txt2ImgHooks, 'signal' | 'onProgress'> = {}): Promise<ClipResult> {
  const { signal, onProgress } = hooks;
  if (params.hybrid !== undefined) throw new StudioError('INVALID_REQUEST', 'A latent walk does not run hybrid inference yet; drop hybrid.', 'hybrid');
  const { frames, steps } = params;
  const totalSteps = frames * steps;
  const freshCache = () => setUpCache(pipeline, schedulerFor(pipeline, steps, params.scheduler, params.eta), params.cfg, params.cache, false);
  const firstCache = freshCache();
  throwIfCancelled(signal);

  onProgress?.({ stage: 'encode', step: 0, totalSteps });
  let t0 = performance.now();
  const encoded = await encodePrompts(
    pipeline.textEncoder,
    params.negativePrompt,
    [
      { text: params.prompt, what: 'Prompt' },
      { text: params.toPrompt, what: 'Walk prompt' },
    ],
    params.cfg > 1,
  );
  const encodeMs = performance.now() - t0;
  const [condA, condB] = encoded.conds as [Float32Array, Float32Array];

  const { geometry } = pipeline;
  const shape: LatentShape = { channels: geometry.latentChannels, height: geometry.latentHeight, width: geometry.latentWidth };
  const noiseA = gaussianNoise(params.seed, latentSize(shape));
  const noiseB = params.toSeed === params.seed ? noiseA : gaussianNoise(params.toSeed, latentSize(shape));
  const latents: Float32Array[] = [];
  const cacheRuns: CacheRunStats[] = [];
  const stepMs: number[] = [];
  let modelMs = 0;
  let probeMs = 0;
  onProgress?.({ stage: 'denoise', step: 0, totalSteps });
  t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    throwIfCancelled(signal);
    const t = walkFraction(i, frames);
    const cache = i === 0 ? firstCache : freshCache();
    const { denoised } = await sampleLatents(
      pipeline,
      params,
      cache,
      { prompt: promptContext(encoded, lerp(condA, condB, t)), shape, initialNoise: slerp(noiseA, noiseB, t) },
      { ...(signal ? { signal } : {}), onStep: (done) => onProgress?.({ stage: 'denoise', step: i * steps + done, totalSteps }) },
    );
    latents.push(denoised.latents);
    stepMs.push(...denoised.stepMs);
    modelMs += denoised.modelMs;
    probeMs += denoised.probeMs;
    const { cacheStats } = cacheOutcome(cache, denoised);
    if (cacheStats !== undefined) cacheRuns.push(cacheStats);
  }
  const denoiseMs = performance.now() - t0;
  throwIfCancelled(signal);

  onProgress?.({ stage: 'decode', step: totalSteps, totalSteps });
  t0 = performance.now();
  const decoded = await decodeFrames(pipeline.vaeDecoder, latents, [shape.channels, shape.height, shape.width], signal);
  const decodeMs = performance.now() - t0;

  const { scheduler, policy } = firstCache;
  const cacheStats = concatCacheStats(cacheRuns);
  return {
    ...decoded,
    timings: { encodeMs, denoiseMs, modelMs, probeMs, decodeMs, stepMs },
    scheduler: { className: scheduler.className, config: { ...scheduler.config } },
    noise: NOISE_GENERATOR_ID,
    ...(policy === undefined || cacheStats === undefined ? {} : { cacheConfig: policy.config, cacheStats }),
  };
}
