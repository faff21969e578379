/**
 * One generation from request to history row: THE glue that the CLI and the app's job
 * service both call, so both make identical images and records.
 *
 *   (request validated at the boundary) → resolve model → load (cached) + hash → cache profile (if the method needs one)
 *   → txt2img → media file with recipe (a PNG, media/png-media-writer.ts) → history row
 *
 * A clip (clip-mode.ts: a video model, or a latent walk of an image model) runs txt2vid or
 * latentWalk instead and is stored as one animated PNG (media/apng-media-writer.ts); its recipe
 * and history row carry the frame count and rate.
 *
 * A cached run (request.cache with a method other than 'none') records its validated config
 * and the sha256 of the profile it used in the recipe, and its CacheRunStats in the history
 * row. 'none' runs the same steps as no cache and is recorded as an uncached run.
 *
 * All or nothing: the PNG is staged in a temp file and only renamed into place after the
 * last cancellation check; if the history insert then fails, the PNG is removed again. A
 * failed or cancelled run leaves no file and no row.
 */
import fs from 'node:fs';
import type { GenerateRequest, GenerationRecord, JobStage, Recipe, VideoRecipe } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import type { StudioPaths } from '../config/studio-home';
import type { ModelRegistry } from '../models/model-registry';
import { profileForRun } from '../cache/profile-lookup';
import { setUpHybrid } from './hybrid-run';
import type { PreviewFrame } from '../pipeline/preview-session';
import { throwIfCancelled, txt2img, type Txt2ImgHooks, type Txt2ImgParams } from '../pipeline/txt2img';
import { txt2vid } from '../pipeline/txt2vid';
import { latentWalk } from '../pipeline/latent-walk';
import type { ClipResult } from '../pipeline/clip-result';
import { APNG_MEDIA_WRITER } from '../media/apng-media-writer';
import { PNG_MEDIA_WRITER } from '../media/png-media-writer';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { clipMode, type ClipMode } from './clip-mode';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { compensationForRun } from '../quant/compensation-setup';
import type { PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import type { StudioDb } from '../store/studio-db';
import { outputPathFor, stageFile } from './output-file';
import { isDiskFull } from '../store/store-error';

export interface GenerationContext {
  registry: ModelRegistry;
  db: StudioDb;
  paths: StudioPaths;
  appVersion: string;
  /** Loaded pipelines to reuse between runs; default: one process-wide cache of one pipeline. */
  pipelines?: PipelineCache;
}

export interface GenerationHooks {
  signal?: AbortSignal;
  onProgress?: (p: { stage: JobStage; step: number; totalSteps: number }) => void;
  /** Receives live previews when the request asks for them (`preview: true`). */
  onPreview?: (frame: PreviewFrame) => void;
}

/**
 * Runs `req` and records it.
 * @param request validated where it entered (validateCallRequest, the CLI's parser, the job worker)
 * @throws StudioError INVALID_REQUEST (no matching cache profile) | MODEL_* | PROMPT_TOO_LONG | PROVIDER_UNAVAILABLE | CANCELLED | STORE | INTERNAL
 */
export async function runGeneration(request: GenerateRequest, ctx: GenerationContext, hooks: GenerationHooks = {}): Promise<GenerationRecord> {
  const { signal, onProgress } = hooks;
  const started = performance.now();
  throwIfCancelled(signal);

  let t0 = performance.now();
  const model = ctx.registry.resolve(request.model);
  const mode = clipMode(request, model);
  // A walk samples once per frame, so its progress counts frames × steps.
  const totalSteps = mode.kind === 'walk' ? mode.frames * request.steps : request.steps;
  onProgress?.({ stage: 'load', step: 0, totalSteps });
  const pipelines = ctx.pipelines ?? defaultPipelineCache;
  const { pipeline } = await pipelines.get(model.dir, request.provider, {
    hashStore: ctx.db.folderHashes,
    variantsRoot: ctx.paths.variants,
    ...(request.denoiserVariant === undefined ? {} : { denoiserVariant: request.denoiserVariant }),
  });
  const modelHash = await pipelineHash(model.dir, ctx.db.folderHashes);
  const hybrid = request.hybrid === undefined ? undefined : await setUpHybrid({ ...request, hybrid: request.hybrid }, { id: model.id, hash: modelHash, pipeline }, { registry: ctx.registry, pipelines, hashStore: ctx.db.folderHashes });
  const loadMs = performance.now() - t0;
  throwIfCancelled(signal);

  const { cache, denoiserVariant: _variant, hybrid: _hybrid, compensation: _compensation, ...rest } = request;
  const compensation = compensationForRun(pipeline, request, ctx.db.quantCalibrations);
  const plain = { ...(hybrid === undefined ? rest : { ...rest, hybrid: hybrid.params }), ...(compensation === undefined ? {} : { compensation }) };
  // A video model's profile is for one clip length; a walk samples stills, whose profile has none.
  const run = { ...request, frames: mode.kind === 'video' ? mode.frames : undefined };
  const stored = cache === undefined ? undefined : profileForRun(ctx.db, pipeline, cache, run, { id: model.id, hash: modelHash });
  let image: Awaited<ReturnType<typeof txt2img>> | ClipResult;
  let hybridRun: ReturnType<NonNullable<typeof hybrid>['finish']> | undefined;
  try {
    const params = cache === undefined ? plain : { ...plain, cache: { config: cache, modelHash, ...(stored ? { profile: stored.profile } : {}) } };
    if (mode.kind === 'still') {
      const still = await txt2img(pipeline, params, { signal, onProgress, ...(request.preview && hooks.onPreview ? { onPreview: hooks.onPreview } : {}) });
      hybridRun = hybrid?.finish(still);
      image = still;
    } else {
      image = await makeClip(pipeline, params, mode, { signal, onProgress });
    }
  } finally {
    await hybrid?.dispose();
  }
  const cached = image.cacheConfig !== undefined && image.cacheConfig.method !== 'none';

  onProgress?.({ stage: 'save', step: totalSteps, totalSteps });
  t0 = performance.now();
  const recipe: Recipe = {
    prompt: request.prompt,
    negativePrompt: request.negativePrompt,
    steps: request.steps,
    cfg: request.cfg,
    seed: request.seed,
    modelId: model.id,
    modelHash,
    provider: pipeline.provider,
    providerRequested: request.provider,
    scheduler: image.scheduler.className,
    schedulerConfig: image.scheduler.config,
    width: image.width,
    height: image.height,
    noise: image.noise,
    appVersion: ctx.appVersion,
    ...(cached ? { cache: image.cacheConfig } : {}),
    ...(cached && stored ? { cacheProfileHash: stored.summary.sha256 } : {}),
    components: hybridRun?.components ?? pipeline.components,
    request: withoutSecrets(request),
    ...(hybridRun ? { hybrid: hybridRun.recipe } : {}),
    ...(compensation === undefined ? {} : { compensation: { method: compensation.method, strength: compensation.strength, calibrationId: compensation.calibrationId } }),
    ...(mode.kind === 'still' ? {} : { video: videoRecipe(mode) }),
  };
  const now = new Date();
  const writer = mode.kind === 'still' ? PNG_MEDIA_WRITER : APNG_MEDIA_WRITER;
  const frames = 'frames' in image ? image.frames : [image.rgb];
  const bytes = writer.encode(frames.map((rgb) => ({ rgb, width: image.width, height: image.height })), recipe);
  const target = outputPathFor(ctx.paths.outputs, now, request.seed, writer.extension);
  let staged: ReturnType<typeof stageFile>;
  try {
    staged = stageFile(target, bytes);
  } catch (err) {
    if (isDiskFull(err, target)) throw new StudioError('STORE', `The disk holding ${target} is full. Free some space and retry.`, target);
    throw new StudioError('INTERNAL', `Could not write ${target}: ${err instanceof Error ? err.message : String(err)}`, target);
  }
  let committed = false;
  try {
    throwIfCancelled(signal);
    staged.commit();
    committed = true;
    const saveMs = performance.now() - t0;
    return ctx.db.history.insert({
      createdAt: now.toISOString(),
      recipe,
      timings: {
        loadMs,
        encodeMs: image.timings.encodeMs,
        denoiseMs: image.timings.denoiseMs,
        modelMs: image.timings.modelMs,
        decodeMs: image.timings.decodeMs,
        saveMs,
        totalMs: performance.now() - started,
      },
      outputPath: staged.finalPath,
      ...(cached && image.cacheStats ? { cacheStats: { ...image.cacheStats, profileId: stored?.summary.id ?? null } } : {}),
      ...(hybridRun ? { hybridStats: hybridRun.stats } : {}),
      ...(mode.kind === 'still' ? {} : { video: { frames: mode.frames, fps: mode.fps } }),
    });
  } catch (err) {
    if (committed) fs.rmSync(staged.finalPath, { force: true });
    else staged.discard();
    throw err instanceof StudioError || !(err instanceof Error)
      ? err
      : new StudioError('INTERNAL', `Saving ${staged.finalPath} failed: ${err.message}`);
  }
}

/** A clip's frames, rate and, for a walk, its far end, as the recipe keeps them. */
function videoRecipe(mode: Exclude<ClipMode, { kind: 'still' }>): VideoRecipe {
  return { frames: mode.frames, fps: mode.fps, ...(mode.kind === 'walk' ? { walk: { toSeed: mode.toSeed, toPrompt: mode.toPrompt } } : {}) };
}

/** Runs a video model, or walks an image model, for a clip mode. */
function makeClip(pipeline: LoadedPipeline, params: Txt2ImgParams, mode: Exclude<ClipMode, { kind: 'still' }>, hooks: Pick<Txt2ImgHooks, 'signal' | 'onProgress'>): Promise<ClipResult> {
  return mode.kind === 'video' ? txt2vid(pipeline, { ...params, frames: mode.frames }, hooks) : latentWalk(pipeline, { ...params, frames: mode.frames, toSeed: mode.toSeed, toPrompt: mode.toPrompt }, hooks);
}

/**
 * The request as a recipe keeps it: everything but credentials. A recipe is written into the
 * history database and the PNG, which travel; a remote server's bearer token must not.
 */
export function withoutSecrets(request: GenerateRequest): GenerateRequest {
  const remote = request.hybrid?.remote;
  if (remote?.token === undefined || request.hybrid === undefined) return request;
  const { token: _token, ...kept } = remote;
  return { ...request, hybrid: { ...request.hybrid, remote: kept } };
}
