/**
 * The large-only twin of a hybrid result, for A/B comparison: a record with the same recipe
 * (cache included) run on the large model alone, or the request that would make one.
 */
import type { GenerateRequest, GenerationRecord, Recipe } from '../../../contract/api';
import { isHybrid } from './hybrid-recipe-key';
import { sameRecipeIgnoringCache, uncachedRequest } from './uncached-reference';

const sameCache = (a: Recipe, b: Recipe): boolean => JSON.stringify(a.cache ?? null) === JSON.stringify(b.cache ?? null);

/** The newest large-only record among `candidates` that the hybrid `record` can be compared with. */
export function findLargeOnlyTwin(record: GenerationRecord, candidates: Iterable<GenerationRecord>): GenerationRecord | null {
  let best: GenerationRecord | null = null;
  for (const candidate of candidates) {
    const { recipe } = candidate;
    if (candidate.id === record.id || isHybrid(recipe)) continue;
    // Same fields as the hybrid run with its split taken away: sameRecipeIgnoringCache also
    // compares the split, so it is asked about the hybrid recipe without one.
    const { hybrid: _hybrid, ...largeOnly } = record.recipe;
    if (!sameRecipeIgnoringCache(largeOnly, recipe) || !sameCache(record.recipe, recipe)) continue;
    if (best === null || candidate.id > best.id) best = candidate;
  }
  return best;
}

/**
 * The request that reproduces `recipe` on the large model alone. `sent` is the request that made
 * it, when this page sent it; else the request the recipe kept.
 */
export function largeOnlyRequest(recipe: Recipe, sent: GenerateRequest | undefined): GenerateRequest {
  const base = sent ?? recipe.request ?? { ...uncachedRequest(recipe, undefined), ...(recipe.cache ? { cache: recipe.cache } : {}) };
  const { hybrid: _hybrid, ...rest } = base;
  return rest;
}

/** What the recipe card needs for a hybrid record's A/B against the large model alone. */
export interface LargeOnlyCompare {
  /** The large-only twin, when one is known. */
  twin: GenerationRecord | null;
  /** The twin is being generated. */
  comparing: boolean;
  oncompare: () => void;
}
