/**
 * Median and mean of per-image durations. Both are reported because the first image
 * usually pays one-off costs (session warm-up, allocator growth): the median shows the
 * steady state, the mean what a whole run costs per image.
 */

export interface MedianMean {
  median: number;
  mean: number;
}

/** @throws RangeError on an empty list or a non-finite value */
export function medianAndMean(values: readonly number[]): MedianMean {
  if (values.length === 0) throw new RangeError('medianAndMean: no values');
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`medianAndMean: value ${v} is not finite`);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { median, mean };
}

/** Nearest-rank quantile q ∈ [0, 1] of `values` (p95 of per-call latencies); 0 for an empty list. */
export function nearestRankQuantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
