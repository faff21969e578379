/**
 * Structural similarity (Wang et al. 2004) as scikit-image's `structural_similarity` computes it
 * with `gaussian_weights=True` (the setting the caching papers' metric code uses):
 *   local means/variances/covariance under a Gaussian window (σ 1.5, radius 5 → 11×11, weights
 *   normalised to 1, borders mirrored like scipy's mode "reflect": d c b a | a b c d), population
 *   (not sample) covariance,
 *   SSIM map = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 *   C1 = (0.01·R)², C2 = (0.03·R)², R = data range (255 for 8-bit),
 *   result = mean of the map after cropping 5 pixels from every border.
 * Colour: 'luminance' compares Y = 0.299R + 0.587G + 0.114B (BT.601); 'per-channel' averages the
 * SSIM of each channel (scikit-image's channel_axis behaviour).
 */
import { isByteArray } from './psnr';
import type { NumericArray } from './rel-l1';

/** Interleaved image, row-major: value of (x, y, channel c) at (y·width + x)·channels + c. */
export interface ImageData {
  data: NumericArray;
  width: number;
  height: number;
  channels: number;
}

export interface SsimOptions {
  /** Default 255 for 8-bit data; required for float data. */
  dataRange?: number;
  /** Default 'luminance' for 3- or 4-channel images (alpha ignored), otherwise 'per-channel'. */
  mode?: 'luminance' | 'per-channel';
}

export const SSIM_SIGMA = 1.5;
export const SSIM_RADIUS = 5;

export function ssim(a: ImageData, b: ImageData, options: SsimOptions = {}): number {
  checkImage(a, 'first');
  checkImage(b, 'second');
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new RangeError(`ssim: images differ in shape (${describe(a)} vs ${describe(b)})`);
  }
  if (a.width < 2 * SSIM_RADIUS + 1 || a.height < 2 * SSIM_RADIUS + 1) throw new RangeError(`ssim: images must be at least 11×11, got ${a.width}×${a.height}`);
  const range = options.dataRange ?? (isByteArray(a.data) && isByteArray(b.data) ? 255 : undefined);
  if (range === undefined || !(range > 0)) throw new RangeError('ssim: give a positive dataRange for non-8-bit images');
  const mode = options.mode ?? (a.channels >= 3 ? 'luminance' : 'per-channel');
  if (mode === 'luminance') {
    if (a.channels < 3) throw new RangeError('ssim: luminance mode needs an RGB image');
    return ssimPlane(luminance(a), luminance(b), a.width, a.height, range);
  }
  let sum = 0;
  for (let c = 0; c < a.channels; c++) sum += ssimPlane(plane(a, c), plane(b, c), a.width, a.height, range);
  return sum / a.channels;
}

/** Mean SSIM of two single-channel planes (row-major, width·height). */
export function ssimPlane(x: Float64Array, y: Float64Array, width: number, height: number, range: number): number {
  const c1 = (0.01 * range) ** 2;
  const c2 = (0.03 * range) ** 2;
  const kernel = gaussianKernel(SSIM_SIGMA, SSIM_RADIUS);
  const blur = (p: Float64Array) => gaussianBlur(p, width, height, kernel);
  const mx = blur(x);
  const my = blur(y);
  const mxx = blur(x.map((v) => v * v));
  const myy = blur(y.map((v) => v * v));
  const mxy = blur(x.map((v, i) => v * (y[i] as number)));
  let sum = 0;
  let count = 0;
  for (let r = SSIM_RADIUS; r < height - SSIM_RADIUS; r++) {
    for (let col = SSIM_RADIUS; col < width - SSIM_RADIUS; col++) {
      const i = r * width + col;
      const ux = mx[i] as number;
      const uy = my[i] as number;
      const vx = (mxx[i] as number) - ux * ux;
      const vy = (myy[i] as number) - uy * uy;
      const vxy = (mxy[i] as number) - ux * uy;
      sum += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
      count++;
    }
  }
  return sum / count;
}

/** Normalised 1-D Gaussian weights at offsets −radius..radius. */
export function gaussianKernel(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  for (let i = -radius; i <= radius; i++) k[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  const total = k.reduce((s, v) => s + v, 0);
  return k.map((v) => v / total);
}

/** scipy.ndimage "reflect" index: mirrors about the edge, repeating the edge value. */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
}

function gaussianBlur(p: Float64Array, width: number, height: number, kernel: Float64Array): Float64Array {
  const radius = (kernel.length - 1) / 2;
  const rows = new Float64Array(p.length);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) s += (kernel[k + radius] as number) * (p[r * width + reflectIndex(c + k, width)] as number);
      rows[r * width + c] = s;
    }
  }
  const out = new Float64Array(p.length);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) s += (kernel[k + radius] as number) * (rows[reflectIndex(r + k, height) * width + c] as number);
      out[r * width + c] = s;
    }
  }
  return out;
}

function luminance(img: ImageData): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * img.channels;
    out[i] = 0.299 * (img.data[o] as number) + 0.587 * (img.data[o + 1] as number) + 0.114 * (img.data[o + 2] as number);
  }
  return out;
}

function plane(img: ImageData, channel: number): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = img.data[i * img.channels + channel] as number;
  return out;
}

function checkImage(img: ImageData, which: string): void {
  const { width, height, channels } = img;
  if (![width, height, channels].every((v) => Number.isInteger(v) && v > 0) || img.data.length !== width * height * channels) {
    throw new RangeError(`ssim: ${which} image has ${img.data.length} values for ${describe(img)}`);
  }
}

function describe(img: ImageData): string {
  return `${img.width}×${img.height}×${img.channels}`;
}
