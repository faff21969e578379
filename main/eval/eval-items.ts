/**
 * What an evaluation generates: one item per image, each with its prompt, its intended
 * subcategory (or why it has none) and its seed.
 *
 * Seeds are base + index, so every run with the same options makes the same images.
 * From the eval captions, `n` items are taken evenly spaced through captions.jsonl
 * (index ⌊i·total/n⌋), so a small n still spans the subcategories rather than only the
 * first few; from a prompts file, the first n prompts are taken, in file order.
 *
 * A free-text prompt's subcategory is inferred from keywords, and a prompt without a clear
 * one is excluded with a reason; a labelled prompt (labelled-prompts.ts) carries its own.
 */
import { LIMITS } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { inferSubcategory, NO_KEYWORD_REASON, type SubcategoryKeywords } from '../../core/eval/subcategory-inference';
import type { EvalCaption } from './eval-assets';
import type { LabelledPrompt } from './labelled-prompts';
import type { PromptLine } from './prompts-file';

export interface EvalItem {
  prompt: string;
  /** A subcategory (class) name, or null when the prompt names none unambiguously. */
  intended: string | null;
  /** Why `intended` is null. */
  reason?: string;
  /** Bank hexcode of the emoji the prompt asks for, when labelled with one. */
  emoji: string | null;
  /** Whether that emoji was left out of training; null when unknown. */
  heldOut: boolean | null;
  seed: number;
}

/** The kind of reason an item was excluded, for counts: the tie's subcategories are dropped. */
export const AMBIGUOUS_KIND = 'ambiguous between subcategories';

export function exclusionKind(reason: string): string {
  return reason.startsWith('ambiguous') ? AMBIGUOUS_KIND : reason === NO_KEYWORD_REASON ? NO_KEYWORD_REASON : reason;
}

/** How many items were excluded for each kind of reason. */
export function exclusionCounts(items: readonly EvalItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const it of items) {
    if (it.intended !== null) continue;
    const kind = exclusionKind(it.reason ?? 'no subcategory');
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
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
    return { prompt: c.caption, intended: c.subcategory, emoji: null, heldOut: null, seed: seedBase + i };
  });
}

/** The first `n` (default all) prompts, each labelled by keyword inference or excluded with a reason. */
export function promptItems(prompts: readonly PromptLine[], n: number | undefined, seedBase: number, keywords: SubcategoryKeywords): EvalItem[] {
  const count = checkCount(n, prompts.length, 'prompts in the prompts file');
  checkSeeds(seedBase, count);
  return prompts.slice(0, count).map((p, i) => {
    const inferred = inferSubcategory(p.text, keywords);
    const item: EvalItem = { prompt: p.text, intended: inferred.intended, emoji: null, heldOut: null, seed: seedBase + i };
    if (inferred.intended === null) item.reason = inferred.reason;
    return item;
  });
}

/** The first `n` (default all) labelled prompts, with their own subgroup, emoji and held-out flag. */
export function labelledItems(prompts: readonly LabelledPrompt[], n: number | undefined, seedBase: number): EvalItem[] {
  const count = checkCount(n, prompts.length, 'prompts in the prompts file');
  checkSeeds(seedBase, count);
  return prompts.slice(0, count).map((p, i) => ({ prompt: p.text, intended: p.subgroup, emoji: p.emoji, heldOut: p.heldOut, seed: seedBase + i }));
}
