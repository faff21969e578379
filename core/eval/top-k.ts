/**
 * Ranking classifier scores and top-k accuracy, the "prompt accuracy" of an evaluation:
 * an image counts as a top-k hit when its intended class is among the k highest logits.
 */

/**
 * Indices of the k largest values of `scores`, largest first; ties keep the lower index
 * first so rankings are deterministic. k is capped at scores.length.
 * @throws RangeError on a NaN score (a broken classifier must not rank silently)
 */
export function topKIndices(scores: ArrayLike<number>, k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topKIndices: k must be a positive integer (got ${k})`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i] as number)) throw new RangeError(`topKIndices: score ${i} is NaN`);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((i, j) => (scores[j] as number) - (scores[i] as number) || i - j);
  return order.slice(0, Math.min(k, scores.length));
}

/**
 * Rankings of every row of a [count, classes] row-major score matrix (k best per row).
 */
export function rankRows(scores: ArrayLike<number>, count: number, classes: number, k: number): number[][] {
  if (scores.length !== count * classes) throw new RangeError(`rankRows: ${count}×${classes} scores need ${count * classes} values (got ${scores.length})`);
  const rows: number[][] = [];
  for (let i = 0; i < count; i++) {
    const row = Array.from({ length: classes }, (_, c) => scores[i * classes + c] as number);
    rows.push(topKIndices(row, k));
  }
  return rows;
}

export interface TopKAccuracy {
  /** Fraction of counted items whose label is the best-ranked class; null when none counted. */
  top1: number | null;
  /** Fraction of counted items whose label is among the first 5 ranked classes; null when none counted. */
  top5: number | null;
  /** Items with a label. */
  counted: number;
  /** Items without one (label null), left out of both fractions. */
  excluded: number;
}

/**
 * Top-1 and top-5 accuracy of `rankings` (best class first, at least 5 long unless there
 * are fewer classes) against `labels`; a null label excludes its item.
 */
export function topKAccuracy(rankings: readonly (readonly number[])[], labels: readonly (number | null)[]): TopKAccuracy {
  if (rankings.length !== labels.length) throw new RangeError(`topKAccuracy: ${rankings.length} rankings but ${labels.length} labels`);
  let counted = 0;
  let hits1 = 0;
  let hits5 = 0;
  labels.forEach((label, i) => {
    if (label === null) return;
    counted++;
    const ranking = rankings[i] as readonly number[];
    if (ranking[0] === label) hits1++;
    if (ranking.slice(0, 5).includes(label)) hits5++;
  });
  return {
    top1: counted > 0 ? hits1 / counted : null,
    top5: counted > 0 ? hits5 / counted : null,
    counted,
    excluded: labels.length - counted,
  };
}
