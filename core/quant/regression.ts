/**
 * Least-squares accumulators for the compensation fits, fed one latent at a time
 * ([C, …] flattened, channel c = ⌊index / perChannel⌋).
 *
 * ChannelLine: y ≈ slope[c]·x + intercept[c], one line per channel (TCEC's K_t, μ_t and the
 * state-error gain G_t, β_t).
 * SharedSlope: y ≈ k·x + intercept[c], one slope for all channels (PTQD's k_t with a per-channel
 * bias μ_t).
 * A channel without spread in x (fewer than 2 samples, or constant x) gets slope 0.
 */

interface Sums {
  n: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  syy: Float64Array;
}

function sums(channels: number): Sums {
  const zeros = () => new Float64Array(channels);
  return { n: zeros(), sx: zeros(), sy: zeros(), sxx: zeros(), sxy: zeros(), syy: zeros() };
}

function accumulate(s: Sums, x: Float32Array, y: Float32Array): void {
  if (x.length !== y.length) throw new RangeError(`x has ${x.length} values, y ${y.length}`);
  const channels = s.n.length;
  if (x.length % channels !== 0) throw new RangeError(`${x.length} values do not split into ${channels} channels`);
  const per = x.length / channels;
  for (let c = 0; c < channels; c++) {
    let sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (let j = c * per; j < (c + 1) * per; j++) {
      const xv = x[j] as number;
      const yv = y[j] as number;
      sx += xv;
      sy += yv;
      sxx += xv * xv;
      sxy += xv * yv;
      syy += yv * yv;
    }
    s.n[c] = (s.n[c] as number) + per;
    s.sx[c] = (s.sx[c] as number) + sx;
    s.sy[c] = (s.sy[c] as number) + sy;
    s.sxx[c] = (s.sxx[c] as number) + sxx;
    s.sxy[c] = (s.sxy[c] as number) + sxy;
    s.syy[c] = (s.syy[c] as number) + syy;
  }
}

/** Centred second moments of channel c: [Σ(x−x̄)², Σ(x−x̄)(y−ȳ), Σ(y−ȳ)²]. */
function centred(s: Sums, c: number): [number, number, number] {
  const n = s.n[c] as number;
  if (n < 2) return [0, 0, 0];
  const mx = (s.sx[c] as number) / n;
  const my = (s.sy[c] as number) / n;
  return [(s.sxx[c] as number) - n * mx * mx, (s.sxy[c] as number) - n * mx * my, (s.syy[c] as number) - n * my * my];
}

export class ChannelLine {
  private readonly s: Sums;
  constructor(readonly channels: number) {
    this.s = sums(channels);
  }
  add(x: Float32Array, y: Float32Array): void {
    accumulate(this.s, x, y);
  }
  fit(): { slope: number[]; intercept: number[] } {
    const slope: number[] = [];
    const intercept: number[] = [];
    for (let c = 0; c < this.channels; c++) {
      const n = this.s.n[c] as number;
      const [vxx, vxy] = centred(this.s, c);
      const k = vxx > 1e-12 * n ? vxy / vxx : 0;
      slope.push(k);
      intercept.push(n > 0 ? ((this.s.sy[c] as number) - k * (this.s.sx[c] as number)) / n : 0);
    }
    return { slope, intercept };
  }
}

export class SharedSlope {
  private readonly s: Sums;
  constructor(readonly channels: number) {
    this.s = sums(channels);
  }
  add(x: Float32Array, y: Float32Array): void {
    accumulate(this.s, x, y);
  }
  /**
   * The shared slope, the per-channel intercepts, and the variance of what the line leaves
   * unexplained, y − k·x − intercept[c], pooled over channels (PTQD's uncorrelated error).
   */
  fit(): { slope: number; intercept: number[]; residualVariance: number } {
    let vxx = 0, vxy = 0, vyy = 0, n = 0;
    for (let c = 0; c < this.channels; c++) {
      const [a, b, d] = centred(this.s, c);
      vxx += a;
      vxy += b;
      vyy += d;
      n += this.s.n[c] as number;
    }
    const k = vxx > 1e-12 * n ? vxy / vxx : 0;
    const intercept = Array.from({ length: this.channels }, (_, c) => {
      const nc = this.s.n[c] as number;
      return nc > 0 ? ((this.s.sy[c] as number) - k * (this.s.sx[c] as number)) / nc : 0;
    });
    const residualVariance = n > 0 ? Math.max(0, vyy - 2 * k * vxy + k * k * vxx) / n : 0;
    return { slope: k, intercept, residualVariance };
  }
}
