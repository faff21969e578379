/**
 * Wilson score interval of a binomial proportion: the range an accuracy measured on n items
 * could plausibly take on other items of the same kind. `studio eval` prints it next to
 * top-k prompt accuracy, because with a few hundred captions the sampling error is several
 * points (362 captions at 0.61: 0.56–0.66 at 95%), larger than most differences between runs.
 * Wilson rather than the normal approximation: it stays inside [0, 1] and is sound near 0 or 1.
 */

/** z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * [low, high] for `hits` successes out of `n` trials, both fractions in [0, 1].
 * @throws RangeError unless 0 <= hits <= n are integers and n >= 1
 */
export function wilsonInterval(hits: number, n: number, z: number = Z95): [number, number] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`wilsonInterval: n must be a positive integer (got ${n})`);
  if (!Number.isInteger(hits) || hits < 0 || hits > n) throw new RangeError(`wilsonInterval: hits must be an integer in 0..${n} (got ${hits})`);
  const p = hits / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}
