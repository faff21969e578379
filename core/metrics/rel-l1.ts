/**
 * L1 norms and the relative L1 distance ‖a − b‖₁ / ‖b‖₁, the error measure every caching method
 * in core/cache uses (TeaCache's rel-L1, EasyCache's change rates, ERTACache's Eq. 7).
 * Accumulated in float64 over float32 (or any numeric) arrays.
 */

export type NumericArray = ArrayLike<number>;

/** Σ|aᵢ|. */
export function l1Norm(a: NumericArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] as number);
  return s;
}

/** Σ|aᵢ − bᵢ|; the arrays must have the same length. */
export function l1Distance(a: NumericArray, b: NumericArray): number {
  checkSameLength(a, b, 'l1Distance');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s;
}

/**
 * ‖a − b‖₁ / ‖b‖₁ with `b` the reference. A zero reference gives 0 when a equals it and Infinity
 * otherwise (a relative error against nothing is unbounded), never NaN.
 */
export function relL1(a: NumericArray, b: NumericArray): number {
  return ratioOrInfinity(l1Distance(a, b), l1Norm(b));
}

/** n / d for a non-negative numerator: 0/0 → 0, x/0 → Infinity. */
export function ratioOrInfinity(n: number, d: number): number {
  if (d > 0) return n / d;
  return n === 0 ? 0 : Infinity;
}

export function checkSameLength(a: NumericArray, b: NumericArray, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: arrays have ${a.length} and ${b.length} values`);
}
