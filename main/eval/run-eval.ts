/**
 * One evaluation of a model, from options to report:
 *
 *   eval assets (+ prompts file) → model (cached pipeline) + hash → prompts fit? →
 *   classifier → real images → classify real → generate → classify generated →
 *   top-k accuracy, Fréchet distance, timings → EvalReport
 *
 * Everything that can be wrong with the inputs (missing assets, a bad prompts file, a
 * classifier export that breaks the contract, images of the wrong size) is found before
 * the first image is generated. The real images are classified before generating too, so
 * the classifier has run once before the long part starts.
 */
import type { ProviderChoice, SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { frechetDistance } from '../../core/eval/frechet-distance';
import { medianAndMean } from '../../core/eval/timing-stats';
import { rankRows, topKAccuracy } from '../../core/eval/top-k';
import { wilsonInterval } from '../../core/eval/wilson-interval';
import type { ModelRegistry } from '../models/model-registry';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import { loadEvalAssets } from './eval-assets';
import { EvalClassifier, type ClassifierOutput } from './eval-classifier';
import { generateEvalImages, type EvalGenerationHooks } from './eval-generate';
import { loadRealImages } from './eval-images';
import { captionItems, promptItems, type EvalItem } from './eval-items';
import { reportPath, type EvalReport } from './eval-report';
import { checkPromptsFit, readPromptsFile } from './prompts-file';

export interface EvalOptions {
  /** Model id or pipeline folder, as for generate. */
  model: string;
  provider: ProviderChoice;
  scheduler: SchedulerName;
  /** Folder holding the evaluation set (EVAL_FILES). */
  evalDir: string;
  /** Free-text prompts, one per line; absent = the eval captions. */
  promptsFile?: string;
  /** Images to generate; absent = every caption or prompt. */
  n?: number;
  steps: number;
  cfg: number;
  /** Item i uses seed seedBase + i. */
  seedBase: number;
}

export interface EvalContext {
  registry: ModelRegistry;
  /** Default: the process-wide cache that generate uses. */
  pipelines?: PipelineCache;
}

/** 95% Wilson interval of an accuracy over `counted` items (hits = fraction × counted); null when none were counted. */
function interval(fraction: number | null, counted: number): [number, number] | null {
  return fraction === null ? null : wilsonInterval(Math.round(fraction * counted), counted);
}

function featureSet(out: ClassifierOutput): { data: Float32Array; count: number; dim: number } {
  return { data: out.features, count: out.count, dim: out.count > 0 ? out.features.length / out.count : 1 };
}

/**
 * Runs the evaluation described by `opts`.
 * @throws StudioError MODEL_NOT_FOUND (model or eval assets) | MODEL_LAYOUT | MODEL_CORRUPT |
 *   INVALID_REQUEST (prompts file, --n, seeds, image sizes) | PROMPT_TOO_LONG | PROVIDER_UNAVAILABLE | CANCELLED | INTERNAL
 */
export async function runEval(opts: EvalOptions, ctx: EvalContext, hooks: EvalGenerationHooks = {}): Promise<EvalReport> {
  const assets = loadEvalAssets(opts.evalDir);
  const prompts = opts.promptsFile === undefined ? undefined : readPromptsFile(opts.promptsFile);
  const items: EvalItem[] = prompts === undefined
    ? captionItems(assets.captions, opts.n, opts.seedBase)
    : promptItems(prompts, opts.n, opts.seedBase, assets.keywords);

  const model = ctx.registry.resolve(opts.model);
  const { pipeline } = await (ctx.pipelines ?? defaultPipelineCache).get(model.dir, opts.provider);
  const modelHash = await pipelineHash(model.dir);
  if (prompts !== undefined && opts.promptsFile !== undefined) {
    checkPromptsFit(opts.promptsFile, prompts.slice(0, items.length), (text) => pipeline.textEncoder.tokenize(text));
  } else {
    for (const item of items) pipeline.textEncoder.tokenize(item.prompt, `Eval caption "${item.prompt}"`);
  }

  const classifier = await EvalClassifier.open(assets.classifierPath, opts.provider, assets.classes);
  try {
    const { width, height } = pipeline.geometry;
    if (width !== classifier.width || height !== classifier.height) {
      throw new StudioError('INVALID_REQUEST', `Model ${model.id} makes ${width}x${height} images; the evaluation classifier takes ${classifier.width}x${classifier.height}.`, 'model');
    }
    const real = loadRealImages(assets, classifier.width, classifier.height);
    const realOut = await classifier.classify(real.rgb);
    const realAccuracy = topKAccuracy(rankRows(realOut.logits, realOut.count, assets.classes.length, 5), real.labels);

    const generated = await generateEvalImages(pipeline, items, { steps: opts.steps, cfg: opts.cfg, scheduler: opts.scheduler }, hooks);
    const genOut = await classifier.classify(generated.rgb);
    const rankings = rankRows(genOut.logits, genOut.count, assets.classes.length, 5);
    const accuracy = topKAccuracy(rankings, items.map((it) => (it.intended === null ? null : assets.classes.indexOf(it.intended))));

    return {
      model: model.id,
      modelHash,
      provider: pipeline.provider,
      scheduler: generated.scheduler,
      steps: opts.steps,
      cfg: opts.cfg,
      n: items.length,
      seeds: { base: opts.seedBase },
      // Relative to where the command ran (the repository root for the committed reports).
      promptsFile: opts.promptsFile === undefined ? null : reportPath(opts.promptsFile, process.cwd()),
      evalDir: reportPath(assets.dir, process.cwd()),
      promptAccuracy: { ...accuracy, ci95: { top1: interval(accuracy.top1, accuracy.counted), top5: interval(accuracy.top5, accuracy.counted) } },
      frechetDistance: genOut.count >= 2 && realOut.count >= 2 ? frechetDistance(featureSet(genOut), featureSet(realOut)) : null,
      secondsPerImage: medianAndMean(generated.seconds),
      classifierOnReal: { top1: realAccuracy.top1 ?? 0, top5: realAccuracy.top5 ?? 0, n: real.rgb.length },
      items: items.map((it, i) => ({
        prompt: it.prompt,
        intended: it.intended,
        ...(it.reason === undefined ? {} : { reason: it.reason }),
        top5: (rankings[i] ?? []).map((c) => assets.classes[c] as string),
        seed: it.seed,
      })),
      createdAt: new Date().toISOString(),
    };
  } finally {
    await classifier.dispose();
  }
}
