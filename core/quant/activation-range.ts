/**
 * Static activation ranges for uint8 asymmetric per-tensor quantization, from values collected
 * over calibration timesteps spread across the whole trajectory.
 *
 *   scale = (hi − lo)/255, zeroPoint = round(−lo/scale) ∈ [0, 255], lo ≤ 0 ≤ hi
 *   x̃ = (clamp(round(x/scale) + zp, 0, 255) − zp)·scale
 *
 * Two ways to pick [lo, hi] (quantizer.ts measures which gives the smaller output error):
 *  - percentile: the p-th and (100−p)-th percentiles of the samples (clips rare outliers);
 *  - mse: the clipping of the min/max range (a shrink factor on each side) that minimises the
 *    mean squared fake-quantization error over the samples.
 */

export type RangeMethod = 'percentile' | 'mse';
export const RANGE_METHODS: readonly RangeMethod[] = ['percentile', 'mse'];

export interface ActivationRange {
  lo: number;
  hi: number;
}

export interface UInt8Params {
  scale: number;
  zeroPoint: number;
}

/** Percentile kept on each side by the 'percentile' method (99.99 %: clips 1 value in 10⁴). */
export const PERCENTILE = 99.99;

/** uint8 parameters of a range (widened to include 0 so that zero is exact, as padding and ReLU need). */
export function uint8Params(range: ActivationRange): UInt8Params {
  const lo = Math.min(0, range.lo);
  const hi = Math.max(0, range.hi);
  const scale = hi - lo > 0 ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  return { scale, zeroPoint };
}

/** Mean squared error of quantizing `samples` with `p`. */
export function fakeQuantMse(samples: Float32Array, p: UInt8Params): number {
  let sum = 0;
  for (const x of samples) {
    const q = Math.max(0, Math.min(255, Math.round(x / p.scale) + p.zeroPoint));
    const d = (q - p.zeroPoint) * p.scale - x;
    sum += d * d;
  }
  return samples.length > 0 ? sum / samples.length : 0;
}

/** The range `method` picks for `samples` (non-empty). @throws RangeError on no samples */
export function chooseRange(samples: Float32Array, method: RangeMethod): ActivationRange {
  if (samples.length === 0) throw new RangeError('no calibration samples for this activation');
  const sorted = Float32Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] as number;
  if (method === 'percentile') return { lo: at(1 - PERCENTILE / 100), hi: at(PERCENTILE / 100) };
  const full: ActivationRange = { lo: sorted[0] as number, hi: sorted[sorted.length - 1] as number };
  // Grid search over shrink factors (1 = min/max), on a subsample to bound the cost.
  const probe = subsample(samples, 20000);
  let best = full;
  let bestErr = fakeQuantMse(probe, uint8Params(full));
  for (let k = 1; k <= 40; k++) {
    const f = 1 - k * 0.02;
    const r = { lo: full.lo * f, hi: full.hi * f };
    const err = fakeQuantMse(probe, uint8Params(r));
    if (err < bestErr) {
      best = r;
      bestErr = err;
    }
  }
  return best;
}

/** Every ⌈n/max⌉-th value, at most `max` of them. */
export function subsample(samples: Float32Array, max: number): Float32Array {
  if (samples.length <= max) return samples;
  const stride = Math.ceil(samples.length / max);
  const out = new Float32Array(Math.floor((samples.length - 1) / stride) + 1);
  for (let i = 0, j = 0; i < samples.length; i += stride, j++) out[j] = samples[i] as number;
  return out;
}
