/**
 * Peak signal-to-noise ratio of an image against a reference, the usual cache-quality metric
 * (cache-peers.md §4: reference = the uncached output of the same run).
 *   PSNR = 10·log₁₀(R² / MSE), R = the data range (255 for 8-bit images, 1 for [0,1] floats, 2 for [−1,1]).
 * Identical images give +Infinity.
 */
import { checkSameLength, type NumericArray } from './rel-l1';

/** Mean squared difference, float64. */
export function meanSquaredError(a: NumericArray, b: NumericArray): number {
  checkSameLength(a, b, 'meanSquaredError');
  if (a.length === 0) throw new RangeError('meanSquaredError: empty arrays');
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return s / a.length;
}

/**
 * PSNR in dB over all values (any layout, e.g. RGB8 interleaved). `dataRange` defaults to 255 for
 * Uint8Array/Uint8ClampedArray and must be given for float data.
 */
export function psnr(a: NumericArray, b: NumericArray, dataRange?: number): number {
  const range = dataRange ?? (isByteArray(a) && isByteArray(b) ? 255 : undefined);
  if (range === undefined) throw new RangeError('psnr: give dataRange for non-8-bit images (1 for [0,1], 2 for [−1,1])');
  if (!(range > 0)) throw new RangeError(`psnr: dataRange must be > 0, got ${range}`);
  const mse = meanSquaredError(a, b);
  return mse === 0 ? Infinity : 10 * Math.log10((range * range) / mse);
}

export function isByteArray(a: NumericArray): boolean {
  return a instanceof Uint8Array || a instanceof Uint8ClampedArray;
}
