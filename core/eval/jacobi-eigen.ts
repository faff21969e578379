/**
 * Eigendecomposition of a real symmetric matrix by the cyclic Jacobi method, in float64.
 *
 * Why Jacobi: the Fréchet distance needs square roots of covariance matrices, which are
 * symmetric positive semi-definite and often rank-deficient (fewer images than feature
 * dimensions). Jacobi rotations keep the matrix exactly symmetric, give orthonormal
 * eigenvectors and accurate small eigenvalues, and need no library: ~n³ work per sweep and
 * quadratic convergence after a few sweeps, which is fast enough for n up to a few hundred.
 *
 * Each rotation J(p, q, θ) zeroes A[p][q] (Golub & Van Loan, "Matrix Computations",
 * §8.5, sym.schur2): τ = (A_qq − A_pp) / 2A_pq, t = sign(τ) / (|τ| + √(1+τ²)),
 * c = 1/√(1+t²), s = t·c, then A ← JᵀAJ and V ← VJ. Sweeps stop when the off-diagonal
 * Frobenius norm is at most `tolerance` times the whole matrix's.
 */

export interface SymmetricEigen {
  /** Matrix order n. */
  n: number;
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** n×n row-major; column j (vectors[i·n + j] over i) is the unit eigenvector of values[j]. */
  vectors: Float64Array;
  /** Sweeps that ran (each visits every p < q once). */
  sweeps: number;
}

export interface JacobiOptions {
  /** Stop when ‖offdiag(A)‖_F ≤ tolerance · ‖A‖_F. Default 1e-13. */
  tolerance?: number;
  /** Give up (throw) after this many sweeps. Default 100; 10–15 is typical. */
  maxSweeps?: number;
}

/** Sum of squares of the entries above the diagonal, times 2 (= ‖offdiag‖²_F). */
function offDiagonalSquares(a: Float64Array, n: number): number {
  let s = 0;
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      const v = a[p * n + q] as number;
      s += v * v;
    }
  }
  return 2 * s;
}

/** Throws unless `matrix` is a finite, symmetric n×n row-major matrix (within rounding). */
function checkSymmetric(matrix: ArrayLike<number>, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`jacobiEigen: order must be a positive integer (got ${n})`);
  if (matrix.length !== n * n) throw new RangeError(`jacobiEigen: a ${n}×${n} matrix needs ${n * n} values (got ${matrix.length})`);
  let frob = 0;
  for (let i = 0; i < matrix.length; i++) {
    const v = matrix[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`jacobiEigen: entry ${i} is ${v}; the matrix must be finite`);
    frob += v * v;
  }
  frob = Math.sqrt(frob);
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      const d = Math.abs((matrix[p * n + q] as number) - (matrix[q * n + p] as number));
      if (d > 1e-9 * frob) throw new RangeError(`jacobiEigen: the matrix is not symmetric (entries [${p},${q}] and [${q},${p}] differ by ${d})`);
    }
  }
  return frob;
}

/**
 * Eigenvalues and eigenvectors of the symmetric n×n row-major `matrix` (not modified).
 * The upper and lower triangles are averaged first, so rounding asymmetry is harmless.
 * @throws RangeError for a non-square, non-finite or clearly non-symmetric matrix, or no convergence
 */
export function jacobiEigen(matrix: ArrayLike<number>, n: number, options: JacobiOptions = {}): SymmetricEigen {
  const tolerance = options.tolerance ?? 1e-13;
  const maxSweeps = options.maxSweeps ?? 100;
  const frob = checkSymmetric(matrix, n);
  const a = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) a[p * n + q] = 0.5 * ((matrix[p * n + q] as number) + (matrix[q * n + p] as number));
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;

  const limit = (tolerance * frob) ** 2;
  let sweeps = 0;
  while (offDiagonalSquares(a, n) > limit) {
    if (sweeps >= maxSweeps) throw new RangeError(`jacobiEigen: no convergence after ${maxSweeps} sweeps (n = ${n})`);
    sweeps++;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
    }
  }
  return sortDescending(a, v, n, sweeps);
}

/** One Jacobi rotation zeroing a[p][q], applied to a (both sides) and v (right side). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q] as number;
  if (apq === 0) return;
  const app = a[p * n + p] as number;
  const aqq = a[q * n + q] as number;
  const tau = (aqq - app) / (2 * apq);
  // For huge τ, √(1+τ²) overflows; t → 1/(2τ) is the limit.
  const t = Math.abs(tau) > 1e150 ? 1 / (2 * tau) : (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    // Columns p and q: A ← AJ.
    const akp = a[k * n + p] as number;
    const akq = a[k * n + q] as number;
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    // Rows p and q: A ← JᵀA.
    const apk = a[p * n + k] as number;
    const aqk = a[q * n + k] as number;
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  a[p * n + q] = 0;
  a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p] as number;
    const vkq = v[k * n + q] as number;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

function sortDescending(a: Float64Array, v: Float64Array, n: number, sweeps: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (a[j * n + j] as number) - (a[i * n + i] as number));
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src] as number;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src] as number;
  });
  return { n, values, vectors, sweeps };
}

/**
 * The symmetric square root V·diag(√max(λ, 0))·Vᵀ of a symmetric positive semi-definite
 * matrix; eigenvalues that rounding pushed slightly below zero count as zero.
 */
export function sqrtSymmetricPsd(matrix: ArrayLike<number>, n: number): Float64Array {
  const { values, vectors } = jacobiEigen(matrix, n);
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const root = Math.sqrt(Math.max(values[j] as number, 0));
    if (root === 0) continue;
    for (let r = 0; r < n; r++) {
      const vr = (vectors[r * n + j] as number) * root;
      if (vr === 0) continue;
      for (let c = 0; c < n; c++) out[r * n + c] = (out[r * n + c] as number) + vr * (vectors[c * n + j] as number);
    }
  }
  return out;
}
