/**
 * The few numpy primitives diffusers builds its schedules from, reproduced with numpy's exact
 * float64 arithmetic so our timesteps match diffusers' bit for bit.
 *
 * - `np.round` rounds half to even (0.5 → 0, 1.5 → 2, 499.5 → 500), unlike Math.round.
 * - `np.linspace(a, b, n)` computes `i * ((b - a) / (n - 1)) + a` and then sets the last value to
 *   exactly `b`.
 * - `np.arange(a, 0, -r)` computes `a + i * d` with `d = (a - r) - a`, and its length is
 *   `ceil(a / r)`, which float rounding can make one too long (see `arangeDown`).
 * - `np.interp(x, [0..n-1], fp)` is piecewise linear, returns `fp[j]` exactly at integer `x`, and
 *   clamps outside [0, n-1].
 */

/** numpy's `round`: nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** numpy's `linspace(start, stop, num)` in float64 (endpoint included). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * numpy's `arange(start, 0, -stepSize)` in float64, cut to at most `maxCount` values.
 *
 * diffusers' "trailing" spacing calls `np.arange(T, 0, -T/N)`; for some N (61, 103, 121, …) the
 * quotient `T / (T/N)` rounds just above N, numpy returns N + 1 values and the extra one is
 * `≈1e-13`, which becomes timestep −1 after diffusers' `- 1`. That is a float accident, not a
 * step, so we keep only the first `maxCount` values.
 */
export function arangeDown(start: number, stepSize: number, maxCount: number): Float64Array {
  const numpyLength = Math.max(0, Math.ceil(start / stepSize));
  const count = Math.min(numpyLength, maxCount);
  const delta = start - stepSize - start;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = start + i * delta;
  return out;
}

/** numpy's `interp(x, [0, 1, …, fp.length-1], fp)`. */
export function interpAtIndex(x: number, fp: Float64Array): number {
  const last = fp.length - 1;
  if (last < 0) throw new RangeError('interpAtIndex: empty table');
  if (x <= 0) return fp[0] as number;
  if (x >= last) return fp[last] as number;
  const j = Math.floor(x);
  const lo = fp[j] as number;
  if (x === j) return lo;
  const hi = fp[j + 1] as number;
  return (hi - lo) * (x - j) + lo;
}
