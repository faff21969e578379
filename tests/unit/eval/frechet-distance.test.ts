/**
 * The Fréchet distance against closed forms: identical sets give 0; in 1-D it is
 * (μ₁−μ₂)² + (σ₁−σ₂)²; with diagonal covariances ‖μ₁−μ₂‖² + Σ(√a_i − √b_i)²; for 2×2
 * covariances that do not commute, tr√(C₁C₂) = √(tr(C₁C₂) + 2√(det C₁·det C₂)).
 * Sample statistics here are computed independently of core/eval/feature-stats.ts.
 */
import { describe, expect, it } from 'vitest';
import { featureStats, type FeatureStats } from '../../../core/eval/feature-stats';
import { frechetDistance, frechetDistanceFromStats } from '../../../core/eval/frechet-distance';

function sampleMeanVar(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

function stats(mean: number[], covariance: number[]): FeatureStats {
  return { dim: mean.length, count: 100, mean: Float64Array.from(mean), covariance: Float64Array.from(covariance) };
}

describe('frechetDistance', () => {
  it('is ≈0 for a set against itself, also with fewer items than dimensions', () => {
    const wide = { data: Float32Array.from([0.1, -2, 3, 0.5, 7, 1, 1, 2, -1, 0, 4, 4, 4, 4, 4]), count: 3, dim: 5 };
    expect(frechetDistance(wide, wide)).toBeLessThan(1e-9);
    const data = Float64Array.from({ length: 40 * 6 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 6)));
    expect(frechetDistance({ data, count: 40, dim: 6 }, { data, count: 40, dim: 6 })).toBeLessThan(1e-9);
  });

  it('in 1-D equals (μ₁−μ₂)² + (σ₁−σ₂)²', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [10, 14, 18, 12.5];
    const sa = sampleMeanVar(a);
    const sb = sampleMeanVar(b);
    const expected = (sa.mean - sb.mean) ** 2 + (Math.sqrt(sa.variance) - Math.sqrt(sb.variance)) ** 2;
    const got = frechetDistance({ data: a, count: a.length, dim: 1 }, { data: b, count: b.length, dim: 1 });
    expect(got).toBeCloseTo(expected, 10);
    expect(got).toBeGreaterThan(100);
  });

  it('with diagonal covariances equals ‖μ₁−μ₂‖² + Σ(√a_i − √b_i)²', () => {
    // A full grid of x-values × y-values has exactly zero sample covariance between x and y.
    const grid = (xs: number[], ys: number[]): number[] => xs.flatMap((x) => ys.flatMap((y) => [x, y]));
    const [ax, ay, bx, by] = [[0, 1, 5], [2, 3], [1, 2, 3, 10], [-4, 0, 4]];
    const a = grid(ax as number[], ay as number[]);
    const b = grid(bx as number[], by as number[]);
    const col = (flat: number[], k: number): number[] => flat.filter((_, i) => i % 2 === k);
    let expected = 0;
    for (const k of [0, 1]) {
      const sa = sampleMeanVar(col(a, k));
      const sb = sampleMeanVar(col(b, k));
      expected += (sa.mean - sb.mean) ** 2 + (Math.sqrt(sa.variance) - Math.sqrt(sb.variance)) ** 2;
    }
    const got = frechetDistance({ data: a, count: a.length / 2, dim: 2 }, { data: b, count: b.length / 2, dim: 2 });
    expect(got).toBeCloseTo(expected, 9);
  });

  it('matches the 2×2 closed form for covariances that do not commute', () => {
    const c1 = [2, 0.5, 0.5, 1];
    const c2 = [1, -0.3, -0.3, 3];
    const [a, b, c, d] = c1 as [number, number, number, number];
    const [e, f, g, h] = c2 as [number, number, number, number];
    const trProduct = a * e + b * g + c * f + d * h;
    const det1 = a * d - b * c;
    const det2 = e * h - f * g;
    const trSqrt = Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
    const expected = (1 - 0) ** 2 + (2 - 4) ** 2 + (a + d) + (e + h) - 2 * trSqrt;
    const got = frechetDistanceFromStats(stats([1, 2], c1), stats([0, 4], c2));
    expect(got).toBeCloseTo(expected, 10);
    expect(frechetDistanceFromStats(stats([0, 4], c2), stats([1, 2], c1))).toBeCloseTo(expected, 10);
  });

  it('grows as one set moves away from the other', () => {
    // sin(i²·0.37) is not confined to a subspace, so both covariances have full rank.
    const base = Array.from({ length: 20 * 3 }, (_, i) => Math.sin(i * i * 0.37));
    const set = (shift: number) => ({ data: base.map((v) => v + shift), count: 20, dim: 3 });
    const d1 = frechetDistance(set(0), set(1));
    const d2 = frechetDistance(set(0), set(2));
    expect(d1).toBeCloseTo(3, 9); // a pure shift of every feature by 1 in 3 dims: ‖Δμ‖² = 3
    expect(d2).toBeCloseTo(12, 9);
  });

  it('stays accurate to ~√ε of the scale when a covariance is singular', () => {
    // Rows (cos 3k·θ, cos (3k+1)θ, cos (3k+2)θ) lie in a plane: one eigenvalue is 0 up to
    // rounding (~1e-17), and its square root (~3e-9) is the error floor of the trace term.
    const base = Array.from({ length: 20 * 3 }, (_, i) => Math.cos(i * 0.9));
    const got = frechetDistance({ data: base, count: 20, dim: 3 }, { data: base.map((v) => v + 1), count: 20, dim: 3 });
    expect(Math.abs(got - 3)).toBeLessThan(1e-7);
  });

  it('matches numpy on 32-dim features, one set with fewer items than dimensions', () => {
    // Reference: numpy 1.x, np.cov(rowvar=False), √C₁ and the spectrum of √C₁·C₂·√C₁ by
    // np.linalg.eigh/eigvalsh, on the same LCG stream (float32-rounded): 3.5333809575202206.
    let s = 1;
    const next = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32 - 0.5;
    };
    const a = Float32Array.from({ length: 50 * 32 }, next);
    const b = Float32Array.from({ length: 20 * 32 }, () => next() * 1.5);
    const got = frechetDistance({ data: a, count: 50, dim: 32 }, { data: b, count: 20, dim: 32 });
    expect(Math.abs(got - 3.5333809575202206)).toBeLessThan(1e-7);
  });

  it('refuses too few items, different feature sizes and non-finite values', () => {
    const one = { data: [1, 2], count: 1, dim: 2 };
    const two = { data: [1, 2, 3, 4], count: 2, dim: 2 };
    expect(() => frechetDistance(one, two)).toThrow(/at least 2 items/);
    expect(() => frechetDistance(two, { data: [1, 2, 3, 4], count: 4, dim: 1 })).toThrow(/feature sizes differ/);
    expect(() => frechetDistance(two, { data: [1, NaN, 3, 4], count: 2, dim: 2 })).toThrow(/feature 1 of item 0 is NaN/);
    expect(() => featureStats({ data: [1, 2, 3], count: 2, dim: 2 })).toThrow(/need 4 values/);
  });
});
