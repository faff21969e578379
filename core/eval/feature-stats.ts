/**
 * Mean and covariance of a set of feature vectors, in float64: the Gaussian that the
 * Fréchet distance fits to each image set.
 *
 * Features come from the classifier as float32 [count, dim] row-major; sums over hundreds
 * of images lose digits in float32, so everything here accumulates in float64 and uses
 * two passes (mean first, then centred products). The covariance is the unbiased one
 * (divide by count − 1), as numpy's `np.cov` and the reference FID code use.
 */

/** `count` feature vectors of length `dim`, row-major: data[i·dim + k] is feature k of item i. */
export interface FeatureSet {
  data: ArrayLike<number>;
  count: number;
  dim: number;
}

export interface FeatureStats {
  dim: number;
  /** Items the stats were computed from. */
  count: number;
  /** [dim] */
  mean: Float64Array;
  /** [dim, dim] row-major, symmetric. */
  covariance: Float64Array;
}

/** Throws unless `set` is a finite [count, dim] block of numbers. */
export function checkFeatureSet(set: FeatureSet, what: string): void {
  const { count, dim, data } = set;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`${what}: count must be an integer ≥ 0 and dim ≥ 1 (got count ${count}, dim ${dim})`);
  }
  if (data.length !== count * dim) throw new RangeError(`${what}: ${count}×${dim} features need ${count * dim} values (got ${data.length})`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new RangeError(`${what}: feature ${i % dim} of item ${Math.floor(i / dim)} is ${data[i]}`);
    }
  }
}

/**
 * Mean and unbiased covariance of `set`.
 * @throws RangeError when there are fewer than 2 items (a covariance needs two) or a value is not finite
 */
export function featureStats(set: FeatureSet, what = 'featureStats'): FeatureStats {
  checkFeatureSet(set, what);
  const { data, count, dim } = set;
  if (count < 2) throw new RangeError(`${what}: a covariance needs at least 2 items (got ${count})`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < dim; k++) mean[k] = (mean[k] as number) + (data[i * dim + k] as number);
  }
  for (let k = 0; k < dim; k++) mean[k] = (mean[k] as number) / count;

  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < dim; k++) centred[k] = (data[i * dim + k] as number) - (mean[k] as number);
    for (let r = 0; r < dim; r++) {
      const cr = centred[r] as number;
      if (cr === 0) continue;
      // Upper triangle only; mirrored below.
      for (let c = r; c < dim; c++) covariance[r * dim + c] = (covariance[r * dim + c] as number) + cr * (centred[c] as number);
    }
  }
  for (let r = 0; r < dim; r++) {
    for (let c = r; c < dim; c++) {
      const v = (covariance[r * dim + c] as number) / (count - 1);
      covariance[r * dim + c] = v;
      covariance[c * dim + r] = v;
    }
  }
  return { dim, count, mean, covariance };
}
