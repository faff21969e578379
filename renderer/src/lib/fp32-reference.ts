/**
 * The fp32 twin of a quantized result, for the Quantization panel's A/B: a history record with
 * the same recipe (cache included) on the model's own denoiser, or the request that makes one.
 */
import type { GenerateRequest, GenerationRecord, Recipe } from '../../../contract/api';
import { isQuantized } from './precision-key';
import { sameRecipeIgnoringCache, uncachedRequest } from './uncached-reference';

/** The newest fp32 record with the same recipe, cache included, as a quantized `record`. */
export function findFp32Twin(record: GenerationRecord, candidates: Iterable<GenerationRecord>): GenerationRecord | null {
  const fp32 = { ...record.recipe, components: undefined, compensation: undefined };
  let best: GenerationRecord | null = null;
  for (const c of candidates) {
    if (c.id === record.id || isQuantized(c)) continue;
    if (!sameRecipeIgnoringCache(fp32, c.recipe) || JSON.stringify(c.recipe.cache ?? null) !== JSON.stringify(record.recipe.cache ?? null)) continue;
    if (best === null || c.id > best.id) best = c;
  }
  return best;
}

/** The request that reproduces `recipe` on the fp32 denoiser (same seed, cache and everything else). */
export function fp32Request(recipe: Recipe, sent: GenerateRequest | undefined): GenerateRequest {
  const base = sent ?? recipe.request;
  const cache = base?.cache;
  const { denoiserVariant: _variant, compensation: _compensation, ...rest } = { ...uncachedRequest(recipe, sent), ...(cache ? { cache } : {}) };
  return rest;
}
