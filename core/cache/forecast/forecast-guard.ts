/**
 * The safeguard every forecasting policy applies before using a forecast: a forecast that is
 * not finite, or that moves away from the last computed feature far more than the profile (or,
 * without one, the last measured change) says the true feature moves, is not used; the step is
 * computed instead and the run's stats record it. Moves are L2 norms over the whole latent.
 */

/** True when every value is finite. */
export function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return false;
  return true;
}

/** ‖a − b‖₂. */
export function l2Distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

/** ‖a‖₂. */
export function l2Norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (a[i] as number);
  return Math.sqrt(s);
}

/**
 * Whether a forecast may be used.
 * @param move ‖forecast − anchor‖₂, anchor the last computed feature
 * @param expected the move the profile (or the last measured change) expects, same units
 * @param band κ: how many times the expected move is still believed
 */
export function forecastAccepted(forecast: Float32Array, move: number, expected: number, band: number): boolean {
  if (!allFinite(forecast) || !Number.isFinite(move)) return false;
  // A zero expected move accepts only a forecast that (to float32 rounding) does not move.
  return move <= band * expected + 1e-6 * l2Norm(forecast);
}
