/**
 * What a recipe's quantized denoiser does to the pixels, as one comparable string: the variant
 * file that ran (its sha256) and the compensation with its strength. '' parts for an fp32 run,
 * so an int8 image is never taken for the fp32 twin of an fp32 one (or the other way round).
 */
import type { GenerationRecord, Recipe } from '../../../contract/api';

export function precisionKey(recipe: Recipe): string {
  const denoiser = recipe.components?.find((c) => c.role === 'denoiser');
  return JSON.stringify([denoiser?.variantHash ?? '', recipe.compensation?.method ?? '', recipe.compensation?.strength ?? 0]);
}


/** Whether a record ran a quantized denoiser variant. */
export const isQuantized = (record: GenerationRecord): boolean => (record.recipe.components?.find((c) => c.role === 'denoiser')?.variantHash ?? '') !== '';
