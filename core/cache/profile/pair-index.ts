/**
 * Packed triangular storage for per-step-pair statistics, ordered by the later step so a
 * trajectory's arrays grow by appending as steps are recorded:
 *   strict pairs j < k:    index k(k−1)/2 + j, T(T−1)/2 values
 *   pairs j ≤ k (with diagonal): index k(k+1)/2 + j, T(T+1)/2 values
 */

export function strictPairIndex(j: number, k: number): number {
  if (!(j >= 0 && j < k)) throw new RangeError(`pair (${j}, ${k}) is not j < k`);
  return (k * (k - 1)) / 2 + j;
}

export function strictPairCount(steps: number): number {
  return (steps * (steps - 1)) / 2;
}

export function diagonalPairIndex(j: number, k: number): number {
  if (!(j >= 0 && j <= k)) throw new RangeError(`pair (${j}, ${k}) is not j ≤ k`);
  return (k * (k + 1)) / 2 + j;
}

export function diagonalPairCount(steps: number): number {
  return (steps * (steps + 1)) / 2;
}
