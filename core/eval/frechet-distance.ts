/**
 * Fréchet distance between two sets of feature vectors, each modelled as a Gaussian: the
 * quantity behind FID (Heusel et al. 2017), here over the studio's evaluation classifier's
 * features instead of Inception's.
 *
 *   d² = ‖μ₁ − μ₂‖² + tr(C₁) + tr(C₂) − 2·tr( (C₁·C₂)^½ )
 *
 * Like FID, the value reported is d² (squared units of the features); 0 for identical
 * statistics. C₁·C₂ is not symmetric, so its square root's trace is taken through the
 * symmetric matrix M = √C₁·C₂·√C₁, which has the same eigenvalues (similar via √C₁ when C₁
 * is invertible, and by continuity otherwise): tr((C₁C₂)^½) = Σ √λᵢ(M). Both √C₁ and the
 * eigenvalues of M come from a Jacobi eigendecomposition (jacobi-eigen.ts), so singular
 * covariances — fewer images than feature dimensions — need no regularising ε. Accuracy:
 * ~1e-14 relative for full-rank covariances; with a singular one, eigenvalues that should
 * be 0 come out at ±1e-17·scale and their square roots put a floor of ~1e-8·scale on the
 * trace term (the same floor as scipy's sqrtm in the reference FID code).
 */
import { featureStats, type FeatureSet, type FeatureStats } from './feature-stats';
import { jacobiEigen, sqrtSymmetricPsd } from './jacobi-eigen';

/** A·B for n×n row-major float64 matrices. */
function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const ark = a[r * n + k] as number;
      if (ark === 0) continue;
      for (let c = 0; c < n; c++) out[r * n + c] = (out[r * n + c] as number) + ark * (b[k * n + c] as number);
    }
  }
  return out;
}

function trace(m: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += m[i * n + i] as number;
  return t;
}

/** tr((C₁·C₂)^½) for symmetric PSD n×n C₁, C₂, via the eigenvalues of √C₁·C₂·√C₁. */
export function traceSqrtProduct(c1: Float64Array, c2: Float64Array, n: number): number {
  const s1 = sqrtSymmetricPsd(c1, n);
  const m = multiply(multiply(s1, c2, n), s1, n);
  const { values } = jacobiEigen(m, n);
  let sum = 0;
  for (const v of values) sum += Math.sqrt(Math.max(v, 0));
  return sum;
}

/**
 * d² between two fitted Gaussians. Rounding can leave a tiny negative for (nearly)
 * identical statistics; the result is clamped at 0.
 */
export function frechetDistanceFromStats(a: FeatureStats, b: FeatureStats): number {
  if (a.dim !== b.dim) throw new RangeError(`frechetDistance: feature sizes differ (${a.dim} vs ${b.dim})`);
  const n = a.dim;
  let meanTerm = 0;
  for (let k = 0; k < n; k++) {
    const d = (a.mean[k] as number) - (b.mean[k] as number);
    meanTerm += d * d;
  }
  const d2 = meanTerm + trace(a.covariance, n) + trace(b.covariance, n) - 2 * traceSqrtProduct(a.covariance, b.covariance, n);
  return Math.max(d2, 0);
}

/**
 * d² between feature sets `a` and `b` (e.g. generated vs real images).
 * @throws RangeError when a set has fewer than 2 items, the sizes differ, or a value is not finite
 */
export function frechetDistance(a: FeatureSet, b: FeatureSet): number {
  if (a.dim !== b.dim) throw new RangeError(`frechetDistance: feature sizes differ (${a.dim} vs ${b.dim})`);
  return frechetDistanceFromStats(featureStats(a, 'frechetDistance (first set)'), featureStats(b, 'frechetDistance (second set)'));
}
