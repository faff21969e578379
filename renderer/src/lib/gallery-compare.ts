/** What differs between the recipes of two compared images, as rows of a small table. */
import type { GenerationRecord } from '../../../contract/api';

export interface RecipeDifference {
  label: string;
  a: string;
  b: string;
}

const cacheText = (r: GenerationRecord): string => (r.recipe.cache && r.recipe.cache.method !== 'none' ? r.recipe.cache.method : 'none');

const FIELDS: readonly [string, (r: GenerationRecord) => string][] = [
  ['Prompt', (r) => r.recipe.prompt],
  ['Negative', (r) => r.recipe.negativePrompt],
  ['Model', (r) => r.recipe.modelId],
  ['Seed', (r) => String(r.recipe.seed)],
  ['Steps', (r) => String(r.recipe.steps)],
  ['CFG', (r) => String(r.recipe.cfg)],
  ['Scheduler', (r) => r.recipe.scheduler],
  ['Cache', cacheText],
  ['Provider', (r) => r.recipe.provider],
  ['Size', (r) => `${r.recipe.width}×${r.recipe.height}`],
];

export function recipeDifferences(a: GenerationRecord, b: GenerationRecord): RecipeDifference[] {
  return FIELDS.map(([label, read]) => ({ label, a: read(a), b: read(b) })).filter((d) => d.a !== d.b);
}
