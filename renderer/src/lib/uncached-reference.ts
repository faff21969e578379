/**
 * The uncached twin of a cached result, for A/B comparison: a history record with the same
 * recipe minus the cache, or the request that would make one.
 */
import type { GenerateRequest, GenerationRecord, Recipe } from '../../../contract/api';
import { lookupSchedulerClass } from '../../../core/sampler/scheduler-families';
import { hybridKey } from './hybrid-recipe-key';
import { precisionKey } from './precision-key';

/** Every recipe field that changes the pixels, except the cache (schedulerConfig follows from scheduler and model). */
const SAME_IMAGE_FIELDS = [
  'prompt',
  'negativePrompt',
  'steps',
  'cfg',
  'seed',
  'modelId',
  'modelHash',
  'provider',
  'scheduler',
  'width',
  'height',
  'noise',
] as const satisfies readonly (keyof Recipe)[];

/** A hybrid split and a quantized denoiser change the pixels too: a run's twin has the same split and precision, uncached. */
export function sameRecipeIgnoringCache(a: Recipe, b: Recipe): boolean {
  return SAME_IMAGE_FIELDS.every((field) => a[field] === b[field]) && hybridKey(a) === hybridKey(b) && precisionKey(a) === precisionKey(b);
}

export const isCached = (record: GenerationRecord): boolean =>
  record.recipe.cache !== undefined && record.recipe.cache.method !== 'none';

/** The newest uncached record among `candidates` that the cached `record` can be compared with. */
export function findUncachedTwin(record: GenerationRecord, candidates: Iterable<GenerationRecord>): GenerationRecord | null {
  let best: GenerationRecord | null = null;
  for (const candidate of candidates) {
    if (candidate.id === record.id || isCached(candidate)) continue;
    if (!sameRecipeIgnoringCache(record.recipe, candidate.recipe)) continue;
    if (best === null || candidate.id > best.id) best = candidate;
  }
  return best;
}

/**
 * The request that reproduces `recipe` without a cache. `sent` is the request that made it, when
 * this page sent it, else the request the recipe kept (its hybrid split included); a recipe
 * older than that has the scheduler forced to the sampler it names, which runs the same steps as
 * the model's own choice did.
 */
export function uncachedRequest(recipe: Recipe, sent: GenerateRequest | undefined): GenerateRequest {
  const base: GenerateRequest = sent ?? recipe.request ?? {
    prompt: recipe.prompt,
    negativePrompt: recipe.negativePrompt,
    steps: recipe.steps,
    cfg: recipe.cfg,
    seed: recipe.seed,
    model: recipe.modelId,
    provider: recipe.providerRequested,
    scheduler: lookupSchedulerClass(recipe.scheduler)?.sampler ?? 'default',
  };
  const { cache: _cache, ...rest } = base;
  return rest;
}
