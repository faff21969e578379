/**
 * Solves A·w = b for a small symmetric positive (semi-)definite A (the ridge-regularised Gram
 * matrices of the linear predictor, at most 6×6) by Cholesky in float64. A semi-definite A
 * (a regressor that is a combination of others on the profile, e.g. an all-zero channel) gets a
 * jitter of 1e-10·max diagonal, doubled until it factors.
 */
export function solveSymmetric(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  if (a.length !== n || a.some((row) => row.length !== n)) throw new RangeError(`solveSymmetric: a ${a.length}×? matrix for ${n} unknowns`);
  if (n === 0) return [];
  const maxDiagonal = Math.max(...a.map((row, i) => Math.abs(row[i] as number)));
  if (maxDiagonal === 0) return new Array<number>(n).fill(0);
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-10 * maxDiagonal : jitter * 2) {
    const l = cholesky(a, jitter);
    if (l !== undefined) return backSolve(l, b);
    if (jitter > maxDiagonal) throw new RangeError('solveSymmetric: the matrix is not positive semi-definite');
  }
}

function cholesky(a: readonly (readonly number[])[], jitter: number): Float64Array[] | undefined {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = ((a[i] as number[])[j] as number) + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= ((l[i] as Float64Array)[k] as number) * ((l[j] as Float64Array)[k] as number);
      if (i === j) {
        if (!(s > 0)) return undefined;
        (l[i] as Float64Array)[i] = Math.sqrt(s);
      } else (l[i] as Float64Array)[j] = s / ((l[j] as Float64Array)[j] as number);
    }
  }
  return l;
}

function backSolve(l: Float64Array[], b: readonly number[]): number[] {
  const n = b.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= ((l[i] as Float64Array)[k] as number) * (y[k] as number);
    y[i] = s / ((l[i] as Float64Array)[i] as number);
  }
  const w = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= ((l[k] as Float64Array)[i] as number) * (w[k] as number);
    w[i] = s / ((l[i] as Float64Array)[i] as number);
  }
  return w;
}
