/**
 * What a recipe's hybrid split does to the pixels, as one comparable string: the order, K, the
 * tiny VAE and the small model's hash. Where the large model ran (locally or on a server) is left
 * out, since a remote run's pixels are identical to a local one's. '' for a single-model run.
 */
import type { Recipe } from '../../../contract/api';

export function hybridKey(recipe: Recipe): string {
  const hybrid = recipe.hybrid;
  if (hybrid === undefined) return '';
  const small = hybrid.segments.find((s) => s.model === 'small')?.modelHash ?? '';
  return JSON.stringify([hybrid.order, hybrid.largeSteps, hybrid.tinyVae, small]);
}

export const isHybrid = (recipe: Recipe): boolean => recipe.hybrid !== undefined;
