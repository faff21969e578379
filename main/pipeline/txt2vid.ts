/**
 * Text to video with a video model: the same loop, schedulers and step caches as txt2img, run
 * once on a video latent.
 *
 *   context  = textEncoder([uncond, cond])                      [B, L, D]
 *   latents  = gaussianNoise(seed, C·F·h·w)                     [C, F, h, w] (LatentShape.frames)
 *   sample:  denoiser(hidden_states [B, C, F, h, w], t, context) → [B, C, F, h, w]
 *   frames   = frameLatents(latents) → F × [C, h, w]            (core/sampling/frame-latents.ts)
 *   rgb_f    = vaeDecoder(frame_f), one frame per call
 *
 * The noise is the portable Philox noise over the whole latent, seeded as for an image, so a
 * clip is as reproducible as a still.
 *
 * A `recorder` in the hooks makes the run a calibration run, as for txt2img: every step feeds it,
 * the [C, F, h, w] latent read as [C, F·h, w] (the same values in the same order).
 */
import { StudioError } from '../../contract/errors';
import { gaussianNoise, NOISE_GENERATOR_ID } from '../../core/noise/gaussian-noise';
import { frameLatents } from '../../core/sampling/frame-latents';
import { type LatentShape, latentSize } from '../../core/sampling/latent-shape';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { setUpCache } from './cache-setup';
import { throwIfCancelled } from './cancellation';
import type { ClipResult } from './clip-result';
import { decodeFrames } from './decode-frames';
import { encodePrompts, promptContext } from './encode-prompts';
import { cacheOutcome, sampleLatents } from './sample-latents';
import { schedulerFor, type Txt2ImgHooks, type Txt2ImgParams } from './txt2img';

export interface Txt2VidParams extends Txt2ImgParams {
  /** Frames of the clip, within the model's range (checked where the request is resolved). */
  frames: number;
}

/** @throws StudioError PROMPT_TOO_LONG | CANCELLED | INVALID_REQUEST (hybrid, compensation, scheduler, cache) | MODEL_* | INTERNAL */
export async function txt2vid(pipeline: LoadedPipeline, params: Txt2VidParams, hooks: Pick<Txt2ImgHooks, 'signal' | 'onProgress' | 'recorder'> = {}): Promise<ClipResult> {
  const { signal, onProgress, recorder } = hooks;
  if (params.hybrid !== undefined || params.compensation !== undefined) {
    throw new StudioError('INVALID_REQUEST', 'Hybrid inference and quantization compensation do not run video models yet; drop hybrid and compensation.', params.hybrid ? 'hybrid' : 'compensation');
  }
  const totalSteps = params.steps;
  const cache = setUpCache(pipeline, schedulerFor(pipeline, params.steps, params.scheduler, params.eta), params.cfg, params.cache, recorder !== undefined, params.frames);
  throwIfCancelled(signal);

  onProgress?.({ stage: 'encode', step: 0, totalSteps });
  let t0 = performance.now();
  const encoded = await encodePrompts(pipeline.textEncoder, params.negativePrompt, [{ text: params.prompt, what: 'Prompt' }], params.cfg > 1);
  const encodeMs = performance.now() - t0;
  throwIfCancelled(signal);

  const { geometry } = pipeline;
  const shape: LatentShape = { channels: geometry.latentChannels, frames: params.frames, height: geometry.latentHeight, width: geometry.latentWidth };
  onProgress?.({ stage: 'denoise', step: 0, totalSteps });
  t0 = performance.now();
  const { denoised } = await sampleLatents(
    pipeline,
    params,
    cache,
    { prompt: promptContext(encoded, encoded.conds[0] as Float32Array), shape, initialNoise: gaussianNoise(params.seed, latentSize(shape)) },
    { ...(signal ? { signal } : {}), ...(recorder ? { recorder } : {}), onStep: (done) => onProgress?.({ stage: 'denoise', step: done, totalSteps }) },
  );
  const denoiseMs = performance.now() - t0;
  throwIfCancelled(signal);

  onProgress?.({ stage: 'decode', step: totalSteps, totalSteps });
  t0 = performance.now();
  const decoded = await decodeFrames(pipeline.vaeDecoder, frameLatents(denoised.latents, shape), [shape.channels, shape.height, shape.width], signal);
  const decodeMs = performance.now() - t0;

  const { scheduler } = cache;
  return {
    ...decoded,
    timings: { encodeMs, denoiseMs, modelMs: denoised.modelMs, probeMs: denoised.probeMs, decodeMs, stepMs: denoised.stepMs },
    scheduler: { className: scheduler.className, config: { ...scheduler.config } },
    noise: NOISE_GENERATOR_ID,
    ...cacheOutcome(cache, denoised),
  };
}
