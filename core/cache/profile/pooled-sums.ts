/**
 * Running sums the recorder keeps per prompt and branch: the per-channel pooled sums behind the
 * ERTACache rectification fit (see PooledChannelSums in profile-types.ts for the layout) and
 * MagCache's magnitude ratio. Float64 accumulation over float32 tensors.
 */
import { diagonalPairCount, diagonalPairIndex, strictPairCount, strictPairIndex } from './pair-index';

/** Running per-channel sums over prompts, float64. */
export interface PooledAccumulator {
  count: number;
  x: Float64Array[];
  xx: Float64Array[];
  r: Float64Array[];
  rr: Float64Array[];
  xr: Float64Array[];
  rr2: Float64Array[];
}

/** MagCache's γ: mean over spatial positions of the channel-vector L2 norm ratio ‖r[:,p]‖₂ / ‖r_prev[:,p]‖₂ (positions with a zero denominator are skipped). */
export function magnitudeRatio(r: Float32Array, previous: Float32Array, [c, h, w]: readonly [number, number, number]): number {
  const plane = h * w;
  let sum = 0;
  let counted = 0;
  for (let p = 0; p < plane; p++) {
    let num = 0;
    let den = 0;
    for (let ch = 0; ch < c; ch++) {
      const a = r[ch * plane + p] as number;
      const b = previous[ch * plane + p] as number;
      num += a * a;
      den += b * b;
    }
    if (den > 0) {
      sum += Math.sqrt(num / den);
      counted++;
    }
  }
  return counted === 0 ? 1 : sum / counted;
}

export function newPooled(channels: number, T: number): PooledAccumulator {
  const make = (n: number) => Array.from({ length: channels }, () => new Float64Array(n));
  return { count: 0, x: make(T), xx: make(T), r: make(T), rr: make(T), xr: make(diagonalPairCount(T)), rr2: make(strictPairCount(T)) };
}

export function addPooled(total: PooledAccumulator, part: PooledAccumulator): void {
  total.count += part.count;
  for (const field of ['x', 'xx', 'r', 'rr', 'xr', 'rr2'] as const) {
    total[field].forEach((sums, ch) => {
      const add = part[field][ch] as Float64Array;
      for (let i = 0; i < sums.length; i++) addAt(sums, i, add[i] as number);
    });
  }
}

/** Adds step k's per-channel sums; residuals[0..k] hold this prompt's residuals up to k. */
export function accumulatePooled(p: PooledAccumulator, residuals: Float32Array[], k: number, x: Float32Array, [c, h, w]: readonly [number, number, number]): void {
  const plane = h * w;
  const rk = residuals[k] as Float32Array;
  for (let ch = 0; ch < c; ch++) {
    const lo = ch * plane;
    const hi = lo + plane;
    let sx = 0, sxx = 0, sr = 0, srr = 0;
    for (let i = lo; i < hi; i++) {
      const xi = x[i] as number;
      const ri = rk[i] as number;
      sx += xi;
      sxx += xi * xi;
      sr += ri;
      srr += ri * ri;
    }
    addAt(p.x[ch] as Float64Array, k, sx);
    addAt(p.xx[ch] as Float64Array, k, sxx);
    addAt(p.r[ch] as Float64Array, k, sr);
    addAt(p.rr[ch] as Float64Array, k, srr);
    for (let j = 0; j <= k; j++) {
      const rj = residuals[j] as Float32Array;
      let sxr = 0, srr2 = 0;
      for (let i = lo; i < hi; i++) {
        const a = rj[i] as number;
        sxr += (x[i] as number) * a;
        srr2 += a * (rk[i] as number);
      }
      addAt(p.xr[ch] as Float64Array, diagonalPairIndex(j, k), sxr);
      if (j < k) addAt(p.rr2[ch] as Float64Array, strictPairIndex(j, k), srr2);
    }
  }
}

function addAt(a: Float64Array, i: number, v: number): void {
  a[i] = (a[i] as number) + v;
}
