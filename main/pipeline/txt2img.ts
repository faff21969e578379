/**
 * Text to image: diffusers' ONNX Stable Diffusion pipeline over a LoadedPipeline, with the
 * denoising loop itself in core/sampling/sample.ts (one loop for every model and hook chain).
 *
 *   ids      = tokenize(prompt) and, when cfg > 1, tokenize(negativePrompt)     [L] each
 *   context  = textEncoder([uncond, cond])                                        [B, L, D]
 *   latents  = gaussianNoise(seed, C·h·w) · initNoiseSigma                        [1, C, h, w]
 *   for i in 0..steps−1:
 *     x      = scaleModelInput(latents, i)
 *     cfg > 1: pred = denoiser([x, x], t_i, context) as ONE batch-2 call → [uncond, cond]
 *              pred = uncond + cfg · (cond − uncond)
 *     else:    pred = denoiser(x, t_i, cond)
 *     latents = scheduler.step(pred, i, latents)
 *   image    = vaeDecoder(latents)                                                [1, 3, H, W] in [-1, 1]
 *   rgb      = chwToRgb8(image)                                                   H·W·3 bytes
 *
 * Like diffusers, guidance is off (and the negative prompt unused) when cfg ≤ 1. The abort
 * signal is checked before every step and before decoding; a cancelled run throws
 * StudioError('CANCELLED') and returns nothing.
 *
 * Step hooks (core/sampling/step-hooks.ts), in chain order: the cache policy (with
 * `params.cache`; cache-setup.ts picks it and, for ERTACache's time adjustment, the σ grid
 * sampled on), then the calibration recorder (a `recorder` in the hooks makes the run a
 * calibration run: every computed step's input and output feed it). Without either, the loop is
 * the uncached one above, bit for bit.
 */
import type { JobStage, SchedulerName } from '../../contract/api';
import type { CacheConfig, CacheRunStats } from '../../contract/cache';
import type { ProfileRecorder } from '../../core/cache';
import { StudioError } from '../../contract/errors';
import { chwToRgb8 } from '../../core/image/chw-to-rgb';
import { gaussianNoise, NOISE_GENERATOR_ID } from '../../core/noise/gaussian-noise';
import { createScheduler, SchedulerConfigError } from '../../core/sampler/create-scheduler';
import type { Scheduler } from '../../core/sampler/types';
import { type LatentShape, latentSize } from '../../core/sampling/latent-shape';
import type { StepPlan } from '../../core/sampling/step-plan';
import type { CompensationTables } from '../../core/quant/compensation-tables';
import type { HybridOrder } from '../../core/hybrid/hybrid-plan';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { Denoiser } from '../runtime/denoiser';
import type { VaeDecoder } from '../runtime/vae-decoder';
import { setUpCache, type Txt2ImgCache } from './cache-setup';
import { throwIfCancelled } from './cancellation';
import { cacheOutcome, sampleLatents } from './sample-latents';
import type { PreviewPolicy } from '../../core/sampling/preview-schedule';
import { type PreviewFrame, PreviewSession, type PreviewStats } from './preview-session';

export type { Txt2ImgCache } from './cache-setup';

export interface Txt2ImgParams {
  prompt: string;
  negativePrompt: string;
  steps: number;
  cfg: number;
  /** Unsigned 32-bit seed of core/noise's generator. */
  seed: number;
  scheduler: SchedulerName;
  /** DDIM's η (absent = 0); step i's noise is stream i + 1 of the seed's generator. */
  eta?: number;
  /** Step caching; absent = every step runs the model. */
  cache?: Txt2ImgCache;
  /** Hybrid inference: `pipeline` is the large model, this the small one and the split. */
  hybrid?: Txt2ImgHybrid;
  /** Quantization-error compensation of a quantized denoiser (core/quant), after the cache in the hook chain. */
  compensation?: Txt2ImgCompensation;
}

/** Checked tables for this run (main/quant/compensation-setup.ts). */
export interface Txt2ImgCompensation {
  method: 'ptqd' | 'tcec';
  strength: number;
  tables: CompensationTables;
  calibrationId: number;
}

/** The second model of a hybrid run (its pair already checked by hybrid-pair.ts). */
export interface Txt2ImgHybrid {
  small: LoadedPipeline;
  /** Steps the large model runs (K of N). */
  largeSteps: number;
  order: HybridOrder;
  /** Stands in for the large pipeline's own denoiser (one on a remote runner); absent = local. */
  largeDenoiser?: Denoiser;
  /** With largeDenoiser: finish on the local large denoiser when a call to it fails, told the step and reason. */
  onRemoteFailure?: (stepIndex: number, reason: string) => void;
  /** Decodes instead of the large pipeline's VAE decoder (the tiny decoder). */
  decoder?: VaeDecoder;
}

export interface StageProgress {
  stage: JobStage;
  /** Finished denoising steps, 0..totalSteps. */
  step: number;
  totalSteps: number;
}

export interface Txt2ImgHooks {
  signal?: AbortSignal;
  onProgress?: (p: StageProgress) => void;
  /** Calibration: fed every step's model input and output (the run must be uncached). */
  recorder?: ProfileRecorder;
  /** Live previews (preview-session.ts): given, the run decodes a preview every few steps within a time budget and hands each here. */
  onPreview?: (frame: PreviewFrame) => void;
  /** When previews may come (default: defaultPreviewPolicy of the step count). */
  previewPolicy?: PreviewPolicy;
}

/** Wall-clock milliseconds of each stage. */
export interface Txt2ImgTimings {
  encodeMs: number;
  denoiseMs: number;
  /** Time inside denoiser session runs only (part of denoiseMs; the rest is sampler and guidance math). */
  modelMs: number;
  /** Time inside the TeaCache probe's runs (part of denoiseMs, cache overhead); 0 without one. */
  probeMs: number;
  decodeMs: number;
  /** Duration of each denoising step, ms. */
  stepMs: number[];
}

export interface Txt2ImgResult {
  /** Interleaved RGB, 8 bits per channel, row-major, width·height·3 bytes. */
  rgb: Uint8Array;
  width: number;
  height: number;
  timings: Txt2ImgTimings;
  /** diffusers class name that ran and its effective config. */
  scheduler: { className: string; config: Record<string, unknown> };
  /** Id and version of the noise generator (Recipe.noise). */
  noise: string;
  /** What the cache did (profileId: null, the caller knows the profile); absent without params.cache. */
  cacheStats?: CacheRunStats;
  /** The validated cache config that ran (defaults filled), for the recipe; absent without params.cache. */
  cacheConfig?: CacheConfig;
  /** Milliseconds inside the compensation hook (its overhead); absent without params.compensation. */
  compensationMs?: number;
  /** Which model ran each step and the time inside each; absent without params.hybrid. */
  hybrid?: { plan: StepPlan; computeSteps: boolean[]; modelMsByKey: Map<string, number> };
  /** How many previews the run made and what they cost (part of denoiseMs); absent without hooks.onPreview. */
  preview?: PreviewStats;
}

export { throwIfCancelled } from './cancellation';

/** createScheduler with its errors turned into StudioErrors that say whose fault they are. */
export function schedulerFor(pipeline: Pick<LoadedPipeline, 'layout'>, steps: number, override: SchedulerName, eta?: number): Scheduler {
  try {
    return createScheduler(pipeline.layout.schedulerConfig, steps, override, eta === undefined ? {} : { eta });
  } catch (err) {
    if (!(err instanceof SchedulerConfigError)) throw err;
    if (err.message.startsWith('scheduler_config.json')) {
      throw new StudioError('MODEL_CORRUPT', `scheduler/scheduler_config.json in ${pipeline.layout.dir} cannot be used: ${err.message}.`, 'scheduler');
    }
    throw new StudioError('INVALID_REQUEST', `The scheduler cannot run this request: ${err.message}.`, 'scheduler');
  }
}

/**
 * Runs one text-to-image generation on a loaded pipeline.
 * @throws StudioError PROMPT_TOO_LONG | CANCELLED | INVALID_REQUEST (scheduler, cache) | MODEL_* | INTERNAL
 */
export async function txt2img(pipeline: LoadedPipeline, params: Txt2ImgParams, hooks: Txt2ImgHooks = {}): Promise<Txt2ImgResult> {
  const { signal, onProgress, recorder, onPreview } = hooks;
  const { textEncoder, vaeDecoder, geometry } = pipeline;
  const totalSteps = params.steps;
  const guided = params.cfg > 1;
  if (pipeline.denoiser.sample.dims.length === 5) {
    // Evaluation, calibration and benchmarks sample stills; a video denoiser wants [B, C, F, h, w].
    throw new StudioError('INVALID_REQUEST', `${pipeline.layout.dir} holds a video model: it makes clips (generate with frames), not still images.`, 'model');
  }
  const cache = setUpCache(pipeline, schedulerFor(pipeline, params.steps, params.scheduler, params.eta), params.cfg, params.cache, recorder !== undefined);
  const { scheduler } = cache;
  throwIfCancelled(signal);

  // Encode: uncond first, so the batch is [uncond, cond] as in diffusers.
  onProgress?.({ stage: 'encode', step: 0, totalSteps });
  let t0 = performance.now();
  const condIds = textEncoder.tokenize(params.prompt, 'Prompt');
  const ids = guided ? [textEncoder.tokenize(params.negativePrompt, 'Negative prompt'), condIds] : [condIds];
  const context = await textEncoder.encode(ids);
  const encodeMs = performance.now() - t0;
  throwIfCancelled(signal);

  // Denoise.
  const shape: LatentShape = { channels: geometry.latentChannels, height: geometry.latentHeight, width: geometry.latentWidth };
  const prompt = { data: context.data, dims: [context.sequenceLength, context.hiddenSize] as const };
  const { hybrid } = params;
  const latentBatch = [1, geometry.latentChannels, geometry.latentHeight, geometry.latentWidth];
  const preview = onPreview && (await PreviewSession.start({ pipeline, scheduler, cfg: params.cfg, latentDims: latentBatch, onFrame: onPreview, ...(hooks.previewPolicy ? { policy: hooks.previewPolicy } : {}) }));
  onProgress?.({ stage: 'denoise', step: 0, totalSteps });
  t0 = performance.now();
  const { denoised, plan, compensation } = await sampleLatents(
    pipeline,
    params,
    cache,
    { prompt, shape, initialNoise: gaussianNoise(params.seed, latentSize(shape)) },
    {
      ...(signal ? { signal } : {}),
      ...(recorder ? { recorder } : {}),
      // Last in the chain: the preview reads the outputs every other hook has corrected.
      ...(preview ? { extraHooks: [preview.hook] } : {}),
      onStep: (done) => {
        onProgress?.({ stage: 'denoise', step: done, totalSteps });
        return preview?.flush();
      },
    },
  );
  const { latents } = denoised;
  const denoiseMs = performance.now() - t0;
  throwIfCancelled(signal);

  // Decode.
  onProgress?.({ stage: 'decode', step: totalSteps, totalSteps });
  t0 = performance.now();
  const image = await (hybrid?.decoder ?? vaeDecoder).decode(latents, latentBatch);
  const height = image.dims[2] as number;
  const width = image.dims[3] as number;
  const rgb = chwToRgb8(image.data.subarray(0, 3 * height * width), height, width);
  const decodeMs = performance.now() - t0;

  return {
    rgb,
    width,
    height,
    timings: { encodeMs, denoiseMs, modelMs: denoised.modelMs, probeMs: denoised.probeMs, decodeMs, stepMs: denoised.stepMs },
    scheduler: { className: scheduler.className, config: { ...scheduler.config } },
    noise: NOISE_GENERATOR_ID,
    ...(compensation === undefined ? {} : { compensationMs: compensation.elapsedMs() }),
    ...(hybrid === undefined ? {} : { hybrid: { plan, computeSteps: denoised.computeSteps, modelMsByKey: denoised.modelMsByKey } }),
    ...(preview === undefined ? {} : { preview: preview.stats() }),
    ...cacheOutcome(cache, denoised),
  };
}
