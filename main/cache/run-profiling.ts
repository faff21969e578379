/**
 * Records a calibration profile: for each calibration prompt i (seed + i, empty negative
 * prompt) one full, uncached txt2img run whose every step feeds a ProfileRecorder, then the
 * profile is stored in SQLite. Used by `studio profile` and by the service's 'profiles.start' job.
 *
 * After the recording runs, ERTACache's reuse cost is measured on the model
 * (measure-profile-reuse-cost.ts) and stored with the profile; progress stays at the last step meanwhile.
 *
 * Progress counts denoising steps over the whole run (totalSteps = prompts × steps), so one bar
 * covers every prompt. Cancelling stops between steps and stores nothing: the profile is only
 * inserted after the last prompt finished and the signal was checked once more.
 *
 * A video model records clips of `req.frames` frames (absent = its framesDefault) with txt2vid; its
 * latent [C, F, h, w] is recorded as [C, F·h, w], and the profile's key names the frames, so it is
 * only used for clips of that length.
 *
 * Calibration prompts should be disjoint from the prompts a cache is judged on (cache-peers.md
 * §4): a profile fitted on the benchmark prompts flatters every method that uses it.
 */
import type { JobStage, ModelInfo } from '../../contract/api';
import type { CacheProfileSummary, ProfileStartRequest } from '../../contract/cache';
import { nominalSigmas, ProfileRecorder } from '../../core/cache';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { ModelRegistry } from '../models/model-registry';
import { schedulerFor, throwIfCancelled, txt2img } from '../pipeline/txt2img';
import { txt2vid } from '../pipeline/txt2vid';
import { StudioError } from '../../contract/errors';
import type { PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import type { StudioDb } from '../store/studio-db';
import { measureProfileReuseCost } from './measure-profile-reuse-cost';
import { runKey } from './profile-lookup';

export interface ProfilingContext {
  registry: ModelRegistry;
  db: StudioDb;
  /** Default: the process-wide cache generate uses. */
  pipelines?: PipelineCache;
}

export interface ProfilingHooks {
  signal?: AbortSignal;
  /** `step` counts finished denoising steps over all prompts, of `totalSteps` = prompts × steps. */
  onProgress?: (p: { stage: JobStage; step: number; totalSteps: number }) => void;
}

/**
 * @param req validated where it entered (validateCallRequest, the CLI's parser, the job worker)
 * @returns the stored profile's summary
 * @throws StudioError INVALID_REQUEST | MODEL_* | PROMPT_TOO_LONG | PROVIDER_UNAVAILABLE | CANCELLED | STORE
 */
export async function runProfiling(req: ProfileStartRequest, ctx: ProfilingContext, hooks: ProfilingHooks = {}): Promise<CacheProfileSummary> {
  const { signal, onProgress } = hooks;
  const T = req.steps;
  const totalSteps = req.prompts.length * T;
  throwIfCancelled(signal);
  onProgress?.({ stage: 'load', step: 0, totalSteps });
  const model = ctx.registry.resolve(req.model);
  const frames = profiledFrames(model, req.frames);
  const { pipeline } = await (ctx.pipelines ?? defaultPipelineCache).get(model.dir, req.provider);
  const modelHash = await pipelineHash(model.dir);
  // Every prompt must fit before the first (long) run starts.
  req.prompts.forEach((p, i) => pipeline.textEncoder.tokenize(p, `Calibration prompt ${i + 1}`));

  const scheduler = schedulerFor(pipeline, T, req.scheduler);
  const g = pipeline.geometry;
  const recorder = new ProfileRecorder({
    key: runKey(pipeline, { ...req, frames }, modelHash),
    latentShape: [g.latentChannels, (frames ?? 1) * g.latentHeight, g.latentWidth],
    timesteps: scheduler.timesteps,
    sigmas: nominalSigmas(scheduler) ?? null,
  });
  for (const [i, prompt] of req.prompts.entries()) {
    const params = { prompt, negativePrompt: '', steps: T, cfg: req.cfg, seed: req.seed + i, scheduler: req.scheduler };
    const hooks = { signal, recorder, onProgress: (p: { stage: JobStage; step: number }) => onProgress?.({ stage: p.stage, step: i * T + Math.min(p.step, T), totalSteps }) };
    if (frames === undefined) await txt2img(pipeline, params, hooks);
    else await txt2vid(pipeline, { ...params, frames }, hooks);
  }
  // ERTACache's placement reads what reuse really costs on this model, measured on the first prompts.
  const reuseCost = await measureProfileReuseCost(pipeline, { ...req, frames }, signal);
  throwIfCancelled(signal);
  onProgress?.({ stage: 'save', step: totalSteps, totalSteps });
  const profile = { ...recorder.finish(), reuseCost };
  return ctx.db.profiles.insert({ modelId: model.id, profile, json: JSON.stringify(profile), createdAt: new Date().toISOString() });
}

/**
 * The frames a profile of `model` records: a video model's requested (or default) clip length,
 * undefined for an image model.
 * @throws StudioError INVALID_REQUEST for frames outside a video model's range, or frames for an image model
 */
export function profiledFrames(model: Pick<ModelInfo, 'id' | 'kind' | 'video'>, frames: number | undefined): number | undefined {
  const video = model.kind === 'video' ? model.video : undefined;
  if (video === undefined) {
    if (frames !== undefined) throw new StudioError('INVALID_REQUEST', `${model.id} is an image model: its profile has no frames; drop frames.`, 'frames');
    return undefined;
  }
  const f = frames ?? video.framesDefault;
  if (f < video.framesMin || f > video.framesMax) throw new StudioError('INVALID_REQUEST', `frames must be between ${video.framesMin} and ${video.framesMax} for ${model.id} (got ${f}).`, 'frames');
  return f;
}
