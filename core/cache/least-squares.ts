/**
 * Linear least squares min ‖A·c − y‖₂ by Householder QR in float64. QR instead of the normal
 * equations AᵀA·c = Aᵀy because a degree-4 Vandermonde matrix on inputs in [0, 0.5] is badly
 * conditioned and forming AᵀA squares the condition number.
 */

/**
 * Solves for c (length n) given A as m rows of n numbers (m ≥ n).
 * @throws RangeError when A is rank-deficient (a column is a combination of the others).
 */
export function solveLeastSquares(rows: readonly (readonly number[])[], y: readonly number[]): number[] {
  const m = rows.length;
  const n = rows[0]?.length ?? 0;
  if (m !== y.length) throw new RangeError(`least squares: ${m} rows but ${y.length} targets`);
  if (n === 0 || m < n) throw new RangeError(`least squares: need at least ${n} rows for ${n} unknowns, got ${m}`);
  // Column-major copy: a[j][i] = A[i][j].
  const a = Array.from({ length: n }, (_, j) => Float64Array.from(rows, (row) => row[j] as number));
  const b = Float64Array.from(y);
  const scale = Math.max(...a.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0))));
  for (let k = 0; k < n; k++) {
    const col = a[k] as Float64Array;
    let norm = 0;
    for (let i = k; i < m; i++) norm += (col[i] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm <= 1e-12 * scale) throw new RangeError('least squares: the design matrix is rank-deficient (too few distinct inputs)');
    const alpha = (col[k] as number) > 0 ? -norm : norm;
    // Householder vector v = x − α·e₁, stored in place of column k's tail.
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = col[i] as number;
    v[0] = (v[0] as number) - alpha;
    const vv = v.reduce((s, x) => s + x * x, 0);
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = k; i < m; i++) dot += (v[i - k] as number) * (target[i] as number);
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) target[i] = (target[i] as number) - f * (v[i - k] as number);
    };
    for (let j = k; j < n; j++) reflect(a[j] as Float64Array);
    reflect(b);
  }
  // Back substitution on R (upper triangle of the reflected columns).
  const c = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k] as number;
    for (let j = k + 1; j < n; j++) s -= ((a[j] as Float64Array)[k] as number) * (c[j] as number);
    c[k] = s / ((a[k] as Float64Array)[k] as number);
  }
  return c;
}
