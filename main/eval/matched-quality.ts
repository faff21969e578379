/**
 * What the matched-calls benchmark's images are worth beyond PSNR, through `studio eval`'s
 * classifier (main/eval/eval-classifier.ts):
 *   top-5     how often a prompt's subcategory is among the classifier's first five guesses
 *             for the image, over the prompts with a subcategory: an evaluation caption's own
 *             (exact text match with captions.jsonl), else the keyword inference `studio eval`
 *             applies to free text; prompts with neither are left out and counted
 *   Fréchet   the Fréchet distance between the classifier features of a setting's images and
 *             those of the uncached images of the same prompts and seeds (0 = the same set):
 *             how far the cache moves the set, in the space prompt accuracy is judged in
 * Still images only: a clip's frames are judged by the video evaluation.
 */
import { inferSubcategory } from '../../core/eval/subcategory-inference';
import { rankRows, topKAccuracy } from '../../core/eval/top-k';
import type { ProviderChoice } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import type { MatchedJudge, MatchedQuality } from '../cache/bench/run-matched-bench';
import { EVAL_FILES, loadEvalAssets } from './eval-assets';
import { type ClassifierOutput, EvalClassifier, featureFrechet } from './eval-classifier';

/** The matched-calls benchmark's judge on the evaluation set in `evalDir`. */
export function evalSetJudge(evalDir: string, provider: ProviderChoice): MatchedJudge {
  return (size, prompts, reference, settings) => matchedQuality(evalDir, provider, size, prompts, reference, settings);
}

/**
 * @param reference the uncached image per prompt (RGB8, width × height)
 * @param settings per setting, its image per prompt (same order as `prompts`)
 * @returns the figures, or why the images cannot be judged (no evaluation set, another image size)
 * @throws StudioError MODEL_LAYOUT | MODEL_CORRUPT | PROVIDER_UNAVAILABLE
 */
export async function matchedQuality(
  evalDir: string,
  provider: ProviderChoice,
  size: { width: number; height: number },
  prompts: readonly string[],
  reference: readonly Uint8Array[],
  settings: readonly (readonly Uint8Array[])[],
): Promise<MatchedQuality | string> {
  let assets;
  try {
    assets = loadEvalAssets(evalDir);
  } catch (err) {
    if (err instanceof StudioError && err.code === 'MODEL_NOT_FOUND') return err.message;
    throw err;
  }
  const byCaption = new Map(assets.captions.map((c) => [c.caption.trim().toLowerCase(), c.subcategory]));
  const labels = prompts.map((p) => {
    const subcategory = byCaption.get(p.trim().toLowerCase()) ?? inferSubcategory(p, assets.keywords).intended;
    const index = subcategory === null ? -1 : assets.classes.indexOf(subcategory);
    return index >= 0 ? index : null;
  });
  const classifier = await EvalClassifier.open(assets.classifierPath, provider, assets.classes);
  try {
    if (classifier.width !== size.width || classifier.height !== size.height) return `the evaluation classifier takes ${classifier.width}x${classifier.height} images, the model makes ${size.width}x${size.height}`;
    const top5 = (out: ClassifierOutput) => topKAccuracy(rankRows(out.logits, out.count, assets.classes.length, 5), labels).top5;
    const uncached = await classifier.classify(reference);
    const rows = [];
    for (const images of settings) {
      const out = await classifier.classify(images);
      rows.push({ top5: top5(out), frechet: featureFrechet(out, uncached) });
    }
    return { classifier: EVAL_FILES.classifier, labelled: labels.filter((l) => l !== null).length, prompts: prompts.length, uncachedTop5: top5(uncached), settings: rows };
  } finally {
    await classifier.dispose();
  }
}

