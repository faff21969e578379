/**
 * One evaluation of a video model, from options to report (video-eval-report.ts):
 *
 *   eval assets (image classifier) + motion assets → items (held-out motion prompts, spread over
 *   sets and motions) → video model + hash (+ cache profile) → prompts fit? → both classifiers
 *   → clips (txt2vid) → every frame through the image classifier, each clip through the motion
 *   classifier → the image model's still per emoji label → figures per set and overall
 *
 * Everything that can be wrong with the inputs is found before the first clip is generated.
 */
import path from 'node:path';
import type { ProviderChoice, SchedulerName } from '../../contract/api';
import type { CacheConfig } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { clipConsistency } from '../../core/eval/clip-consistency';
import { identityConsistency } from '../../core/eval/identity-consistency';
import { rankRows } from '../../core/eval/top-k';
import { profileForRun } from '../cache/profile-lookup';
import type { ModelRegistry } from '../models/model-registry';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import type { StudioDb } from '../store/studio-db';
import { loadEvalAssets } from './eval-assets';
import { EvalClassifier } from './eval-classifier';
import { generateEvalClips } from './eval-clips';
import { generateEvalImages, type EvalGenerationHooks } from './eval-generate';
import { reportPath } from './eval-report';
import { loadMotionAssets, MOTION_SETS, type MotionSet } from './motion-assets';
import { MotionClassifier } from './motion-classifier';
import { motionItems, type MotionItem } from './motion-items';
import { setFigures, type ClipMeasures, type RealRows } from './video-eval-figures';
import type { VideoEvalReport } from './video-eval-report';

export interface VideoEvalOptions {
  model: string;
  provider: ProviderChoice;
  scheduler: SchedulerName;
  /** Folder holding the image evaluation set; its motion/ subfolder holds the motion set. */
  evalDir: string;
  n?: number;
  steps: number;
  cfg: number;
  seedBase: number;
  /** Frames per clip; absent = the model's default. */
  frames?: number;
  /** Image model whose stills are compared per frame; absent = none. */
  imageModel?: string;
  cache?: CacheConfig;
}

export interface VideoEvalContext {
  registry: ModelRegistry;
  pipelines?: PipelineCache;
  /** Where a cache's calibration profile is looked up (needed only with a cache that takes one). */
  db?: () => StudioDb;
}

function featureRows(all: Float32Array, dim: number, pick: readonly number[]): RealRows {
  const data = new Float32Array(pick.length * dim);
  pick.forEach((r, i) => data.set(all.subarray(r * dim, (r + 1) * dim), i * dim));
  return { data, count: pick.length, dim };
}

/**
 * @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | MODEL_CORRUPT | INVALID_REQUEST (not a video
 *   model, frames, --n, seeds, cache) | PROMPT_TOO_LONG | PROVIDER_UNAVAILABLE | CANCELLED | INTERNAL
 */
export async function runVideoEval(opts: VideoEvalOptions, ctx: VideoEvalContext, hooks: EvalGenerationHooks = {}): Promise<VideoEvalReport> {
  const assets = loadEvalAssets(opts.evalDir);
  const motion = loadMotionAssets(path.join(assets.dir, 'motion'));
  const items = motionItems(motion.prompts, motion.classes.length, opts.n, opts.seedBase);
  const model = ctx.registry.resolve(opts.model);
  if (model.kind !== 'video' || model.video === undefined) throw new StudioError('INVALID_REQUEST', `${model.id} is not a video model; the motion evaluation needs one.`, 'model');
  const frames = opts.frames ?? model.video.framesDefault;
  if (frames < model.video.framesMin || frames > model.video.framesMax) {
    throw new StudioError('INVALID_REQUEST', `frames must be between ${model.video.framesMin} and ${model.video.framesMax} for ${model.id} (got ${frames}).`, 'frames');
  }
  const pipelines = ctx.pipelines ?? defaultPipelineCache;
  const { pipeline } = await pipelines.get(model.dir, opts.provider);
  const modelHash = await pipelineHash(model.dir);
  for (const it of items) pipeline.textEncoder.tokenize(it.prompt, `Motion prompt "${it.prompt}"`);
  const image = opts.imageModel === undefined ? undefined : ctx.registry.resolve(opts.imageModel);
  if (image !== undefined && image.kind !== 'image') throw new StudioError('INVALID_REQUEST', `${image.id} is not an image model; the per-frame comparison needs one.`, 'imageModel');
  const run = { steps: opts.steps, cfg: opts.cfg, scheduler: opts.scheduler, frames };
  const stored = opts.cache === undefined ? undefined : profileForRun(requireDb(ctx), pipeline, opts.cache, run, { id: model.id, hash: modelHash });
  const cache = opts.cache === undefined ? undefined : { config: opts.cache, modelHash, ...(stored ? { profile: stored.profile } : {}) };

  const classifier = await EvalClassifier.open(assets.classifierPath, opts.provider, assets.classes);
  const motionClassifier = await MotionClassifier.open(motion.classifierPath, opts.provider, motion.classes.length).catch(async (err: unknown) => {
    await classifier.dispose();
    throw err;
  });
  try {
    const { width, height } = pipeline.geometry;
    if (width !== classifier.width || height !== classifier.height || width !== motionClassifier.width || height !== motionClassifier.height) {
      throw new StudioError('INVALID_REQUEST', `Model ${model.id} makes ${width}x${height} frames; the classifiers take ${classifier.width}x${classifier.height} and ${motionClassifier.width}x${motionClassifier.height}.`, 'model');
    }
    const generated = await generateEvalClips(pipeline, items, { ...run, ...(cache ? { cache } : {}) }, hooks);
    const frameOut = await classifier.classify(generated.clips.flat());
    const frameRanks = rankRows(frameOut.logits, frameOut.count, assets.classes.length, 5);
    const motionOut = await motionClassifier.classify(generated.clips);
    const motionRanks = rankRows(motionOut.logits, motionOut.count, motion.classes.length, 5);
    const dim = motionOut.features.length / Math.max(1, motionOut.count);
    if (motionOut.count > 0 && dim !== motion.real.dim) {
      throw new StudioError('MODEL_LAYOUT', `motion/classifier.onnx gives ${dim} features per clip but motion/real-features.f32 holds ${motion.real.dim}.`, 'motion/classifier.onnx');
    }

    let imageRanks: number[][] | undefined;
    let imageReport: VideoEvalReport['imageModel'] = null;
    if (image !== undefined) {
      const { pipeline: still } = await pipelines.get(image.dir, opts.provider);
      const stills = await generateEvalImages(still, items.map((it) => ({ prompt: it.label, intended: it.subcategory, emoji: it.hexcode, heldOut: true, seed: it.seed })), { steps: opts.steps, cfg: opts.cfg, scheduler: opts.scheduler }, { ...(hooks.signal ? { signal: hooks.signal } : {}) });
      const out = await classifier.classify(stills.rgb);
      imageRanks = rankRows(out.logits, out.count, assets.classes.length, 5);
      imageReport = { model: image.id, modelHash: await pipelineHash(image.dir), steps: opts.steps, cfg: opts.cfg };
    }

    const measures: ClipMeasures[] = items.map((it, i) => {
      const ranks = frameRanks.slice(i * frames, (i + 1) * frames);
      const sub = assets.classes.indexOf(it.subcategory);
      return {
        frameRankings: ranks,
        subcategory: sub < 0 ? null : sub,
        identity: identityConsistency(ranks.map((r) => r[0] as number)).share,
        motionRanking: motionRanks[i] as number[],
        motion: it.motion,
        consistency: clipConsistency(generated.clips[i] as Uint8Array[], generated.width, generated.height),
        seconds: generated.seconds[i] as number,
        ...(imageRanks ? { imageRanking: imageRanks[i] as number[] } : {}),
      };
    });
    const bySet = (set: MotionSet | 'overall'): number[] => items.flatMap((it, i) => (set === 'overall' || it.set === set ? [i] : []));
    const realOf = (set: MotionSet | 'overall'): RealRows => {
      if (set === 'overall') return { data: motion.real.data, count: motion.real.count, dim: motion.real.dim };
      const r = motion.real.rows[set];
      return featureRows(motion.real.data, motion.real.dim, Array.from({ length: r.count }, (_, k) => r.start + k));
    };
    const ceilingOf = (set: MotionSet | 'overall'): VideoEvalReport['sets']['overall']['ceiling'] => {
      if (set !== 'overall') return motion.ceiling[set];
      const parts = MOTION_SETS.map((s) => motion.ceiling[s]);
      const clips = parts.reduce((s, p) => s + p.clips, 0);
      return { top1: parts.reduce((s, p) => s + p.top1 * p.clips, 0) / clips, top5: parts.reduce((s, p) => s + p.top5 * p.clips, 0) / clips, clips };
    };
    const figures = (set: MotionSet | 'overall') => {
      const pick = bySet(set);
      return setFigures(pick.map((i) => measures[i] as ClipMeasures), featureRows(motionOut.features, motion.real.dim, pick), realOf(set), ceilingOf(set));
    };
    const name = (ranking: readonly number[], names: readonly string[]): string[] => ranking.map((c) => names[c] as string);
    const motionKeys = motion.classes.map((c) => c.key);

    return {
      kind: 'video',
      model: model.id,
      modelHash,
      provider: pipeline.provider,
      scheduler: generated.scheduler,
      steps: opts.steps,
      cfg: opts.cfg,
      frames,
      n: items.length,
      seeds: { base: opts.seedBase },
      evalDir: reportPath(assets.dir, process.cwd()),
      cache: cache === undefined ? null : { config: cache.config, modelCallsPerClip: generated.modelCalls.reduce((s, v) => s + v, 0) / generated.modelCalls.length },
      imageModel: imageReport,
      sets: { 'held-out emoji': figures('held-out emoji'), 'held-out pair': figures('held-out pair'), overall: figures('overall') },
      perMotion: motionKeys.map((key, m) => {
        const clips = measures.filter((c) => c.motion === m);
        const hits = (k: number): number | null => (clips.length === 0 ? null : clips.filter((c) => c.motionRanking.slice(0, k).includes(m)).length / clips.length);
        return { motion: key, clips: clips.length, top1: hits(1), top5: hits(5) };
      }),
      items: items.map((it: MotionItem, i) => {
        const c = measures[i] as ClipMeasures;
        return {
          prompt: it.prompt,
          set: it.set,
          motion: motionKeys[it.motion] as string,
          subcategory: it.subcategory,
          hexcode: it.hexcode,
          seed: it.seed,
          motionTop5: name(c.motionRanking, motionKeys),
          frameTop1: c.frameRankings.map((r) => assets.classes[r[0] as number] as string),
          identity: c.identity,
          consistency: c.consistency,
          seconds: c.seconds,
          ...(c.imageRanking ? { imageTop5: name(c.imageRanking, assets.classes) } : {}),
          ...(cache ? { modelCalls: generated.modelCalls[i] as number } : {}),
        };
      }),
      createdAt: new Date().toISOString(),
    };
  } finally {
    await classifier.dispose();
    await motionClassifier.dispose();
  }
}

function requireDb(ctx: VideoEvalContext): StudioDb {
  if (ctx.db === undefined) throw new StudioError('INTERNAL', 'A cached evaluation needs the studio database for its calibration profile.');
  return ctx.db();
}
