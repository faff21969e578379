/**
 * Text to image: the denoising loop of diffusers' ONNX Stable Diffusion pipeline, over a
 * LoadedPipeline and a core/sampler Scheduler.
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
 */
import type { JobStage, SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { chwToRgb8 } from '../../core/image/chw-to-rgb';
import { gaussianNoise, NOISE_GENERATOR_ID } from '../../core/noise/gaussian-noise';
import { createScheduler, SchedulerConfigError } from '../../core/sampler/create-scheduler';
import { applyGuidance } from '../../core/sampler/guidance';
import type { Scheduler } from '../../core/sampler/types';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';

export interface Txt2ImgParams {
  prompt: string;
  negativePrompt: string;
  steps: number;
  cfg: number;
  /** Unsigned 32-bit seed of core/noise's generator. */
  seed: number;
  scheduler: SchedulerName;
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
}

/** Wall-clock milliseconds of each stage. */
export interface Txt2ImgTimings {
  encodeMs: number;
  denoiseMs: number;
  /** Time inside denoiser session runs only (part of denoiseMs; the rest is sampler and guidance math). */
  modelMs: number;
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
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('CANCELLED', 'The generation was cancelled.');
}

/** createScheduler with its errors turned into StudioErrors that say whose fault they are. */
export function schedulerFor(pipeline: LoadedPipeline, steps: number, override: SchedulerName): Scheduler {
  try {
    return createScheduler(pipeline.layout.schedulerConfig, steps, override);
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
 * @throws StudioError PROMPT_TOO_LONG | CANCELLED | INVALID_REQUEST (scheduler) | MODEL_* | INTERNAL
 */
export async function txt2img(pipeline: LoadedPipeline, params: Txt2ImgParams, hooks: Txt2ImgHooks = {}): Promise<Txt2ImgResult> {
  const { signal, onProgress } = hooks;
  const { textEncoder, denoiser, vaeDecoder, geometry } = pipeline;
  const totalSteps = params.steps;
  const guided = params.cfg > 1;
  const scheduler = schedulerFor(pipeline, params.steps, params.scheduler);
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
  const latentDims = [geometry.latentChannels, geometry.latentHeight, geometry.latentWidth] as const;
  const perLatent = latentDims[0] * latentDims[1] * latentDims[2];
  const noise = gaussianNoise(params.seed, perLatent);
  let latents: Float32Array = new Float32Array(perLatent);
  for (let i = 0; i < perLatent; i++) latents[i] = (noise[i] as number) * scheduler.initNoiseSigma;
  const contextDims = [context.sequenceLength, context.hiddenSize] as const;
  const stepMs: number[] = [];
  let modelMs = 0;
  onProgress?.({ stage: 'denoise', step: 0, totalSteps });
  t0 = performance.now();
  for (let i = 0; i < scheduler.numSteps; i++) {
    throwIfCancelled(signal);
    const stepStart = performance.now();
    const x = scheduler.scaleModelInput(latents, i);
    const input = guided ? concat(x, x) : x;
    const modelStart = performance.now();
    const pred = await denoiser.predict(input, latentDims, scheduler.timesteps[i] as number, context.data, contextDims);
    modelMs += performance.now() - modelStart;
    const guidedPred = guided ? applyGuidance(pred.subarray(0, perLatent), pred.subarray(perLatent), params.cfg) : pred;
    latents = scheduler.step(guidedPred, i, latents);
    stepMs.push(performance.now() - stepStart);
    onProgress?.({ stage: 'denoise', step: i + 1, totalSteps });
  }
  const denoiseMs = performance.now() - t0;
  throwIfCancelled(signal);

  // Decode.
  onProgress?.({ stage: 'decode', step: totalSteps, totalSteps });
  t0 = performance.now();
  const image = await vaeDecoder.decode(latents, [1, ...latentDims]);
  const height = image.dims[2] as number;
  const width = image.dims[3] as number;
  const rgb = chwToRgb8(image.data.subarray(0, 3 * height * width), height, width);
  const decodeMs = performance.now() - t0;

  return {
    rgb,
    width,
    height,
    timings: { encodeMs, denoiseMs, modelMs, decodeMs, stepMs },
    scheduler: { className: scheduler.className, config: { ...scheduler.config } },
    noise: NOISE_GENERATOR_ID,
  };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
