/**
 * One evaluation of a model, from options to report:
 *
 *   eval assets + emoji bank (+ prompts file, free text or labelled) → model (cached
 *   pipeline) + hash → prompts fit? → classifier → real images → classify real → generate →
 *   classify generated → top-k accuracy (all, held-out, trained), exact emoji by nearest
 *   real emoji, Fréchet distance, timings → EvalReport
 *
 * Everything that can be wrong with the inputs (missing assets, a bad prompts file, a
 * classifier export that breaks the contract, images of the wrong size) is found before
 * the first image is generated. The real images are classified before generating too, so
 * the classifier has run once before the long part starts.
 */
import type { ProviderChoice, SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { nearestEmojiRows } from '../../core/eval/nearest-emoji';
import { medianAndMean } from '../../core/eval/timing-stats';
import { rankRows, topKAccuracy, type TopKAccuracy } from '../../core/eval/top-k';
import { wilsonInterval } from '../../core/eval/wilson-interval';
import type { ModelRegistry } from '../models/model-registry';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import { loadEvalAssets } from './eval-assets';
import { EvalClassifier, featureFrechet } from './eval-classifier';
import { generateEvalImages, type EvalGenerationHooks } from './eval-generate';
import { loadRealImages } from './eval-images';
import { captionItems, exclusionCounts, labelledItems, promptItems, type EvalItem } from './eval-items';
import { reportPath, type CountedAccuracy, type EvalReport, type LabelSource } from './eval-report';
import { loadEmojiBank, type EmojiBank } from './emoji-bank';
import { isLabelledFile, parseLabelledPrompts } from './labelled-prompts';
import { checkPromptsFit, readPromptsFile } from './prompts-file';

export interface EvalOptions {
  /** Model id or pipeline folder, as for generate. */
  model: string;
  provider: ProviderChoice;
  scheduler: SchedulerName;
  /** Folder holding the evaluation set (EVAL_FILES). */
  evalDir: string;
  /** Free-text prompts, one per line, or a labelled TSV (labelled-prompts.ts); absent = the eval captions. */
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

function counted(acc: TopKAccuracy): CountedAccuracy {
  return { top1: acc.top1, top5: acc.top5, counted: acc.counted, ci95: { top1: interval(acc.top1, acc.counted), top5: interval(acc.top5, acc.counted) } };
}

/** Accuracy of `rankings` against `labels` over the items whose heldOut flag is `heldOut`. */
function splitAccuracy(rankings: number[][], labels: (number | null)[], items: readonly EvalItem[], heldOut: boolean): CountedAccuracy {
  return counted(topKAccuracy(rankings, labels.map((l, i) => (items[i]?.heldOut === heldOut ? l : null))));
}

/** Exact-emoji figures, or null when no item names an emoji or there is no bank. */
function exactEmoji(items: readonly EvalItem[], bank: EmojiBank | null, nearest: number[][] | null): EvalReport['exactEmoji'] {
  if (bank === null || nearest === null || !items.some((it) => it.emoji !== null)) return null;
  const labels = items.map((it) => (it.emoji === null ? null : (bank.byHexcode.get(it.emoji) ?? null)));
  return {
    bank: { emoji: bank.emoji.length, images: bank.features.rowEmoji.length, leaveOneOut: bank.leaveOneOut },
    all: counted(topKAccuracy(nearest, labels)),
    heldOut: splitAccuracy(nearest, labels, items, true),
    seen: splitAccuracy(nearest, labels, items, false),
  };
}


/**
 * Runs the evaluation described by `opts`.
 * @throws StudioError MODEL_NOT_FOUND (model or eval assets) | MODEL_LAYOUT | MODEL_CORRUPT |
 *   INVALID_REQUEST (prompts file, --n, seeds, image sizes) | PROMPT_TOO_LONG | PROVIDER_UNAVAILABLE | CANCELLED | INTERNAL
 */
export async function runEval(opts: EvalOptions, ctx: EvalContext, hooks: EvalGenerationHooks = {}): Promise<EvalReport> {
  const assets = loadEvalAssets(opts.evalDir);
  const bank = loadEmojiBank(assets.dir, assets.classes, assets.classifierPath);
  // Read with tabs kept: a labelled file's first or last cell may be empty.
  const rawLines = opts.promptsFile === undefined ? undefined : readPromptsFile(opts.promptsFile, true);
  const labelled = rawLines !== undefined && opts.promptsFile !== undefined && isLabelledFile(rawLines)
    ? parseLabelledPrompts(opts.promptsFile, rawLines, { classes: assets.classes, bank })
    : undefined;
  const lines = rawLines?.map((l) => ({ ...l, text: l.text.trim() }));
  const prompts = labelled ?? lines;
  const labels: LabelSource = labelled ? 'file' : lines ? 'keywords' : 'captions';
  const items: EvalItem[] = labelled
    ? labelledItems(labelled, opts.n, opts.seedBase)
    : lines === undefined
      ? captionItems(assets.captions, opts.n, opts.seedBase)
      : promptItems(lines, opts.n, opts.seedBase, assets.keywords);

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
    const intended = items.map((it) => (it.intended === null ? null : assets.classes.indexOf(it.intended)));
    const accuracy = topKAccuracy(rankings, intended);
    const nearest = bank === null ? null : nearestEmojiRows(genOut.features, genOut.count, bank.features, 5);
    const heldOutKnown = items.some((it) => it.heldOut !== null);

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
      labels,
      promptAccuracy: { ...counted(accuracy), excluded: accuracy.excluded, excludedBecause: exclusionCounts(items) },
      heldOutAccuracy: heldOutKnown ? { heldOut: splitAccuracy(rankings, intended, items, true), seen: splitAccuracy(rankings, intended, items, false) } : null,
      exactEmoji: exactEmoji(items, bank, nearest),
      frechetDistance: featureFrechet(genOut, realOut),
      secondsPerImage: medianAndMean(generated.seconds),
      classifierOnReal: { top1: realAccuracy.top1 ?? 0, top5: realAccuracy.top5 ?? 0, n: real.rgb.length },
      items: items.map((it, i) => ({
        prompt: it.prompt,
        intended: it.intended,
        ...(it.reason === undefined ? {} : { reason: it.reason }),
        ...(it.emoji === null ? {} : { emoji: it.emoji }),
        ...(it.heldOut === null ? {} : { heldOut: it.heldOut }),
        top5: (rankings[i] ?? []).map((c) => assets.classes[c] as string),
        ...(nearest === null || bank === null ? {} : { nearestEmoji: (nearest[i] ?? []).map((e) => bank.emoji[e]?.hexcode as string) }),
        seed: it.seed,
      })),
      createdAt: new Date().toISOString(),
    };
  } finally {
    await classifier.dispose();
  }
}
