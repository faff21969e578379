/**
 * Which evaluation subcategory a free-text prompt asks for, from keyword lists
 * ({subcategory: [words…]}, the eval set's subcategory-keywords.json).
 *
 * Prompt accuracy needs an intended class per prompt. For "a red apple" the keyword
 * "apple" points at one subcategory; for "smiling cat face" both "cat-face" (cat, face)
 * and "face-smiling" (smiling, face) may score 2. Guessing there would make the accuracy
 * measure the guess, so the rule is strict: a subcategory is chosen only when it alone has
 * the best score and that score is ≥ 1; otherwise the prompt gets `intended: null` and a
 * reason, and is left out of the accuracy.
 *
 * Matching: text is lowercased and split on anything that is not a letter or digit. Words
 * match when their plural-stripped forms meet (see wordForms), so "apples" matches
 * "apple" and "boxes" matches "box". A keyword of several words ("hot dog") matches those
 * words in a row. The score of a subcategory is the number of its distinct keywords found.
 */

export type SubcategoryKeywords = Readonly<Record<string, readonly string[]>>;

export type SubcategoryInference =
  | { intended: string; score: number; matched: string[] }
  | { intended: null; reason: string };

export const NO_KEYWORD_REASON = 'no subcategory keyword in prompt';

/** Lowercased words of `text`: runs of letters and digits. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}

/**
 * A word and its possible singulars under simple English plural rules: "-ies" → "-y",
 * "-es" → "", "-s" → "" (not after "s", and only for words longer than 3 letters, so
 * "bus", "yes" and "glass" stay whole). Two words match when their forms intersect.
 */
export function wordForms(word: string): string[] {
  const forms = [word];
  if (word.length > 4 && word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.length > 3 && word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) forms.push(word.slice(0, -1));
  return forms;
}

function wordsMatch(a: readonly string[], b: readonly string[]): boolean {
  return a.some((f) => b.includes(f));
}

/** True when the keyword's words occur consecutively among the prompt's words. */
function containsKeyword(promptForms: readonly string[][], keywordForms: readonly string[][]): boolean {
  if (keywordForms.length === 0) return false;
  for (let start = 0; start + keywordForms.length <= promptForms.length; start++) {
    if (keywordForms.every((kf, j) => wordsMatch(promptForms[start + j] as string[], kf))) return true;
  }
  return false;
}

/**
 * The subcategory `prompt` names, or null with the reason (none matched, or a tie between
 * the best, listed in the keyword file's order: "ambiguous: a, b").
 */
export function inferSubcategory(prompt: string, keywords: SubcategoryKeywords): SubcategoryInference {
  const promptForms = wordsOf(prompt).map(wordForms);
  const scored: { subcategory: string; matched: string[] }[] = [];
  for (const [subcategory, words] of Object.entries(keywords)) {
    const matched = [...new Set(words)].filter((kw) => containsKeyword(promptForms, wordsOf(kw).map(wordForms)));
    if (matched.length > 0) scored.push({ subcategory, matched });
  }
  const best = Math.max(0, ...scored.map((s) => s.matched.length));
  if (best === 0) return { intended: null, reason: NO_KEYWORD_REASON };
  const top = scored.filter((s) => s.matched.length === best);
  if (top.length > 1) return { intended: null, reason: `ambiguous: ${top.map((s) => s.subcategory).join(', ')}` };
  const winner = top[0] as { subcategory: string; matched: string[] };
  return { intended: winner.subcategory, score: best, matched: winner.matched };
}
