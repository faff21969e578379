/**
 * The Jacobi eigendecomposition against direct reconstruction (A = V·Λ·Vᵀ, VᵀV = I),
 * hand-known spectra, and the symmetric square root (S·S = A).
 */
import { describe, expect, it } from 'vitest';
import { jacobiEigen, sqrtSymmetricPsd } from '../../../core/eval/jacobi-eigen';

/** Deterministic uniform numbers in [−1, 1) (a 32-bit LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function randomSymmetric(n: number, seed: number): Float64Array {
  const next = lcg(seed);
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = r; c < n; c++) {
      const v = next() * 10;
      a[r * n + c] = v;
      a[c * n + r] = v;
    }
  }
  return a;
}

/** BᵀB for a random n×m B: symmetric PSD, of rank min(n, m). */
function randomPsd(n: number, rank: number, seed: number): Float64Array {
  const next = lcg(seed);
  const b = Array.from({ length: rank * n }, () => next());
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let k = 0; k < rank; k++) s += (b[k * n + r] as number) * (b[k * n + c] as number);
      a[r * n + c] = s;
    }
  }
  return a;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('jacobiEigen', () => {
  it('reconstructs a random symmetric 12×12 matrix from V·Λ·Vᵀ with orthonormal V', () => {
    const n = 12;
    const a = randomSymmetric(n, 7);
    const { values, vectors, sweeps } = jacobiEigen(a, n);
    const rebuilt = new Float64Array(n * n);
    const gram = new Float64Array(n * n);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        let s = 0;
        let g = 0;
        for (let j = 0; j < n; j++) {
          s += (vectors[r * n + j] as number) * (values[j] as number) * (vectors[c * n + j] as number);
          g += (vectors[j * n + r] as number) * (vectors[j * n + c] as number);
        }
        rebuilt[r * n + c] = s;
        gram[r * n + c] = g;
      }
    }
    expect(maxAbsDiff(rebuilt, a)).toBeLessThan(1e-10);
    const identity = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
    expect(maxAbsDiff(gram, identity)).toBeLessThan(1e-12);
    for (let j = 1; j < n; j++) expect(values[j] as number).toBeLessThanOrEqual(values[j - 1] as number);
    expect(sweeps).toBeGreaterThan(1);
    expect(sweeps).toBeLessThan(20);
  });

  it('finds the eigenvalues 3 and 1 of [[2, 1], [1, 2]] with eigenvectors (1, ±1)/√2', () => {
    const { values, vectors } = jacobiEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect((vectors[0] as number) * (vectors[2] as number)).toBeGreaterThan(0); // (1, 1) for λ = 3
  });

  it('the trace equals the sum of eigenvalues and a diagonal matrix needs no sweep', () => {
    const a = randomSymmetric(9, 3);
    const { values } = jacobiEigen(a, 9);
    let trace = 0;
    for (let i = 0; i < 9; i++) trace += a[i * 10] as number;
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
    const diag = jacobiEigen([5, 0, 0, 0, -2, 0, 0, 0, 7], 3);
    expect(diag.sweeps).toBe(0);
    expect(Array.from(diag.values)).toEqual([7, 5, -2]);
  });

  it('refuses non-symmetric, non-finite and mis-sized input', () => {
    expect(() => jacobiEigen([1, 2, 3, 4], 2)).toThrow(/not symmetric/);
    expect(() => jacobiEigen([1, NaN, NaN, 1], 2)).toThrow(/finite/);
    expect(() => jacobiEigen([1, 2, 3], 2)).toThrow(/needs 4 values/);
    expect(() => jacobiEigen([], 0)).toThrow(/positive integer/);
  });
});

describe('sqrtSymmetricPsd', () => {
  it('S·S reproduces full-rank and rank-deficient PSD matrices', () => {
    for (const [n, rank] of [
      [6, 6],
      [8, 3],
    ] as const) {
      const a = randomPsd(n, rank, 11 + rank);
      const s = sqrtSymmetricPsd(a, n);
      const ss = new Float64Array(n * n);
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          let v = 0;
          for (let k = 0; k < n; k++) v += (s[r * n + k] as number) * (s[k * n + c] as number);
          ss[r * n + c] = v;
        }
      }
      expect(maxAbsDiff(ss, a)).toBeLessThan(1e-9);
      expect(maxAbsDiff(s, Float64Array.from({ length: n * n }, (_, i) => s[(i % n) * n + Math.floor(i / n)] as number))).toBeLessThan(1e-12);
    }
  });

  it('gives the element-wise root of a diagonal matrix', () => {
    expect(Array.from(sqrtSymmetricPsd([4, 0, 0, 9], 2))).toEqual([2, 0, 0, 3]);
  });
});
