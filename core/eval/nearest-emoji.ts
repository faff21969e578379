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
