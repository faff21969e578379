/**
 * "Exact emoji": which real emoji a generated image looks like, by nearest neighbours in the
 * evaluation classifier's feature space (its penultimate layer, the same features the
 * Fréchet distance uses).
 *
 * The bank holds R real emoji images as feature rows [R, F], each belonging to one of E
 * emoji (an emoji has one row per artwork style). Similarity is cosine: rows and the query
 * are compared after scaling to unit length, so an image's overall brightness or contrast,
 * which scales the features, does not decide the match. An emoji's score is its best row's
 * similarity; emoji are ranked by score, best first, ties to the lower emoji index.
 */

export interface FeatureBank {
  /** [rows, dim] row-major, every row of unit length (see normalizeRows). */
  features: Float32Array;
  dim: number;
  /** Emoji index of each row, 0..emojiCount−1. */
  rowEmoji: readonly number[];
  emojiCount: number;
}

/**
 * Scales every row of a [rows, dim] matrix to unit Euclidean length in place; an all-zero
 * row stays zero (it is then similar to nothing).
 */
export function normalizeRows(data: Float32Array, dim: number): Float32Array {
  if (dim < 1 || data.length % dim !== 0) throw new RangeError(`normalizeRows: ${data.length} values are not rows of ${dim}`);
  for (let start = 0; start < data.length; start += dim) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += (data[start + j] as number) ** 2;
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let j = 0; j < dim; j++) data[start + j] = (data[start + j] as number) * scale;
  }
  return data;
}

/**
 * The k emoji most similar to `query` (one feature vector of length bank.dim), best first.
 * @throws RangeError when the query's length is not the bank's dim or a value is not finite
 */
export function nearestEmoji(query: ArrayLike<number>, bank: FeatureBank, k: number): number[] {
  if (query.length !== bank.dim) throw new RangeError(`nearestEmoji: query has ${query.length} features; the bank has ${bank.dim}`);
  let norm = 0;
  for (let j = 0; j < bank.dim; j++) {
    const v = query[j] as number;
    if (!Number.isFinite(v)) throw new RangeError(`nearestEmoji: feature ${j} is ${v}`);
    norm += v * v;
  }
  const scale = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  const best = new Float64Array(bank.emojiCount).fill(-Infinity);
  bank.rowEmoji.forEach((emoji, row) => {
    let dot = 0;
    const base = row * bank.dim;
    for (let j = 0; j < bank.dim; j++) dot += (bank.features[base + j] as number) * (query[j] as number);
    const sim = dot * scale;
    if (sim > (best[emoji] as number)) best[emoji] = sim;
  });
  const order = Array.from({ length: bank.emojiCount }, (_, i) => i);
  order.sort((a, b) => (best[b] as number) - (best[a] as number) || a - b);
  return order.slice(0, Math.min(k, order.length));
}

/** nearestEmoji for every row of a [count, dim] matrix of generated-image features. */
export function nearestEmojiRows(features: Float32Array, count: number, bank: FeatureBank, k: number): number[][] {
  if (features.length !== count * bank.dim) throw new RangeError(`nearestEmojiRows: ${count}×${bank.dim} features need ${count * bank.dim} values (got ${features.length})`);
  return Array.from({ length: count }, (_, i) => nearestEmoji(features.subarray(i * bank.dim, (i + 1) * bank.dim), bank, k));
}

/**
 * The bank's own ceiling: each row in turn is the query and is left out of the bank, so a
 * hit means another image of the same emoji (its other artwork style) is the nearest.
 * Emoji with a single image can never be hit and are not counted.
 * @returns fractions of counted rows whose emoji ranks first / within the first five
 */
export function leaveOneOutAccuracy(bank: FeatureBank): { top1: number; top5: number; counted: number } {
  const rowsOf = new Array<number>(bank.emojiCount).fill(0);
  for (const e of bank.rowEmoji) rowsOf[e] = (rowsOf[e] as number) + 1;
  let counted = 0;
  let hits1 = 0;
  let hits5 = 0;
  const best = new Float64Array(bank.emojiCount);
  bank.rowEmoji.forEach((own, q) => {
    if ((rowsOf[own] as number) < 2) return;
    counted++;
    best.fill(-Infinity);
    const qBase = q * bank.dim;
    bank.rowEmoji.forEach((emoji, row) => {
      if (row === q) return;
      let dot = 0;
      const base = row * bank.dim;
      for (let j = 0; j < bank.dim; j++) dot += (bank.features[base + j] as number) * (bank.features[qBase + j] as number);
      if (dot > (best[emoji] as number)) best[emoji] = dot;
    });
    // Rank of the own emoji: how many score higher, or as high with a lower index.
    const mine = best[own] as number;
    let rank = 0;
    for (let e = 0; e < bank.emojiCount && rank < 5; e++) {
      if (e !== own && ((best[e] as number) > mine || ((best[e] as number) === mine && e < own))) rank++;
    }
    if (rank === 0) hits1++;
    if (rank < 5) hits5++;
  });
  return { top1: counted > 0 ? hits1 / counted : 0, top5: counted > 0 ? hits5 / counted : 0, counted };
}
