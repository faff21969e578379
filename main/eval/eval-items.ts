/**
 * What an evaluation generates: one item per image, each with its prompt, its intended
 * subcategory (or why it has none) and its seed.
 *
 * Seeds are base + index, so every run with the same options makes the same images.
 * From the eval captions, `n` items are taken evenly spaced through captions.jsonl
 * (index ⌊i·total/n⌋), so a small n still spans the subcategories rather than only the
 * first few; from a prompts file, the first n prompts are taken, in file order.
 */
import { LIMITS } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { inferSubcategory, type SubcategoryKeywords } from '../../core/eval/subcategory-inference';
import type { EvalCaption } from './eval-assets';
import type { PromptLine } from './prompts-file';

export interface EvalItem {
  prompt: string;
  /** A subcategory (class) name, or null when the prompt names none unambiguously. */
  intended: string | null;
  /** Why `intended` is null. */
  reason?: string;
  seed: number;
}

function checkCount(n: number | undefined, available: number, what: string): number {
  const count = n ?? available;
  if (!Number.isInteger(count) || count < 1) throw new StudioError('INVALID_REQUEST', `--n must be a positive integer (got ${count}).`, 'n');
  if (count > available) throw new StudioError('INVALID_REQUEST', `--n ${count} is more than the ${available} ${what}.`, 'n');
  return count;
}

function checkSeeds(base: number, count: number): void {
  if (!Number.isInteger(base) || base < 0 || base + count - 1 > LIMITS.seedMax) {
    throw new StudioError('INVALID_REQUEST', `Seeds ${base}..${base + count - 1} do not fit 0..${LIMITS.seedMax}; use a smaller --seed.`, 'seed');
  }
}

/** `n` (default all) evaluation captions, evenly spaced, labelled with their own subcategory. */
export function captionItems(captions: readonly EvalCaption[], n: number | undefined, seedBase: number): EvalItem[] {
  const count = checkCount(n, captions.length, 'evaluation captions');
  checkSeeds(seedBase, count);
  return Array.from({ length: count }, (_, i) => {
    const c = captions[Math.floor((i * captions.length) / count)] as EvalCaption;
    return { prompt: c.caption, intended: c.subcategory, seed: seedBase + i };
  });
}

/** The first `n` (default all) prompts, each labelled by keyword inference or excluded with a reason. */
export function promptItems(prompts: readonly PromptLine[], n: number | undefined, seedBase: number, keywords: SubcategoryKeywords): EvalItem[] {
  const count = checkCount(n, prompts.length, 'prompts in the prompts file');
  checkSeeds(seedBase, count);
  return prompts.slice(0, count).map((p, i) => {
    const inferred = inferSubcategory(p.text, keywords);
    const item: EvalItem = { prompt: p.text, intended: inferred.intended, seed: seedBase + i };
    if (inferred.intended === null) item.reason = inferred.reason;
    return item;
  });
}
