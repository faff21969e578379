import { describe, expect, it } from 'vitest';
import { psnr, meanSquaredError } from '../../../core/metrics/psnr';
import { l1Distance, l1Norm, relL1 } from '../../../core/metrics/rel-l1';
import { gaussianKernel, reflectIndex, ssim } from '../../../core/metrics/ssim';

/** Deterministic pseudo-random bytes (LCG), so images have texture. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

/**
 * Direct SSIM of one plane, written independently: for every interior pixel, the 11×11 Gaussian
 * window (outer product of 1-D weights) with mirrored borders, population statistics.
 */
function directSsim(x: number[], y: number[], w: number, h: number, range: number): number {
  const g1 = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5)));
  const total = g1.reduce((a, b) => a + b, 0) ** 2;
  const mirror = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);
  const c1 = (0.01 * range) ** 2;
  const c2 = (0.03 * range) ** 2;
  let sum = 0;
  let count = 0;
  for (let r = 5; r < h - 5; r++) {
    for (let c = 5; c < w - 5; c++) {
      let mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
      for (let dr = -5; dr <= 5; dr++) {
        for (let dc = -5; dc <= 5; dc++) {
          const wgt = ((g1[dr + 5] as number) * (g1[dc + 5] as number)) / total;
          const i = mirror(r + dr, h) * w + mirror(c + dc, w);
          const a = x[i] as number;
          const b = y[i] as number;
          mx += wgt * a; my += wgt * b; mxx += wgt * a * a; myy += wgt * b * b; mxy += wgt * a * b;
        }
      }
      sum += ((2 * mx * my + c1) * (2 * (mxy - mx * my) + c2)) / ((mx * mx + my * my + c1) * (mxx - mx * mx + myy - my * my + c2));
      count++;
    }
  }
  return sum / count;
}

describe('relative L1', () => {
  it('‖a − b‖₁ / ‖b‖₁ with guards for a zero reference', () => {
    expect(l1Norm([1, -2, 3])).toBe(6);
    expect(l1Distance([1, 2], [0, 4])).toBe(3);
    expect(relL1([1, 2], [2, 2])).toBeCloseTo(0.25, 15);
    expect(relL1([0, 0], [0, 0])).toBe(0);
    expect(relL1([1, 0], [0, 0])).toBe(Infinity);
    expect(() => l1Distance([1], [1, 2])).toThrow(RangeError);
  });
});

describe('PSNR', () => {
  it('identical images give Infinity', () => {
    const a = bytes(300, 1);
    expect(psnr(a, a.slice())).toBe(Infinity);
  });

  it('a known MSE gives 10·log10(255²/MSE)', () => {
    const a = new Uint8Array(48).fill(100);
    const b = new Uint8Array(48).fill(110);
    expect(meanSquaredError(a, b)).toBe(100);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10(65025 / 100), 12);
    expect(psnr(a, b)).toBeCloseTo(28.1308036, 6);
  });

  it('float images need a data range', () => {
    const a = Float32Array.from([0, 0.5, 1, 0.25]);
    const b = Float32Array.from([0.1, 0.5, 0.9, 0.25]);
    expect(() => psnr(a, b)).toThrow(/dataRange/);
    expect(psnr(a, b, 1)).toBeCloseTo(10 * Math.log10(1 / ((0.01 + 0.01) / 4)), 5);
  });
});

describe('SSIM', () => {
  it('identical images give 1, in both colour modes', () => {
    const img = { data: bytes(20 * 16 * 3, 2), width: 20, height: 16, channels: 3 };
    expect(ssim(img, { ...img, data: img.data.slice() })).toBeCloseTo(1, 12);
    expect(ssim(img, img, { mode: 'per-channel' })).toBeCloseTo(1, 12);
  });

  it('constant images: (2μxμy + C1) / (μx² + μy² + C1) exactly', () => {
    const a = { data: new Uint8Array(16 * 16).fill(100), width: 16, height: 16, channels: 1 };
    const b = { ...a, data: new Uint8Array(16 * 16).fill(140) };
    const c1 = (0.01 * 255) ** 2;
    expect(ssim(a, b)).toBeCloseTo((2 * 100 * 140 + c1) / (100 * 100 + 140 * 140 + c1), 12);
  });

  it('matches a direct windowed computation on textured images', () => {
    const w = 17;
    const h = 13;
    const x = Array.from(bytes(w * h, 3));
    const y = x.map((v, i) => Math.min(255, Math.max(0, v + (((i * 37) % 23) - 11))));
    const got = ssim({ data: Uint8Array.from(x), width: w, height: h, channels: 1 }, { data: Uint8Array.from(y), width: w, height: h, channels: 1 });
    expect(got).toBeCloseTo(directSsim(x, y, w, h, 255), 12);
    expect(got).toBeLessThan(1);
  });

  it('luminance mode compares BT.601 Y; per-channel mode averages channels', () => {
    const w = 12;
    const rgbA = bytes(w * w * 3, 4);
    const rgbB = bytes(w * w * 3, 5);
    const y = (d: Uint8Array) => Array.from({ length: w * w }, (_, i) => 0.299 * (d[3 * i] as number) + 0.587 * (d[3 * i + 1] as number) + 0.114 * (d[3 * i + 2] as number));
    const img = (d: Uint8Array) => ({ data: d, width: w, height: w, channels: 3 });
    expect(ssim(img(rgbA), img(rgbB))).toBeCloseTo(directSsim(y(rgbA), y(rgbB), w, w, 255), 12);
    const plane = (d: Uint8Array, c: number) => Array.from({ length: w * w }, (_, i) => d[3 * i + c] as number);
    const perChannel = [0, 1, 2].reduce((s, c) => s + directSsim(plane(rgbA, c), plane(rgbB, c), w, w, 255), 0) / 3;
    expect(ssim(img(rgbA), img(rgbB), { mode: 'per-channel' })).toBeCloseTo(perChannel, 12);
  });

  it('window helpers: normalised 11-tap Gaussian, scipy "reflect" borders; small images are refused', () => {
    const k = gaussianKernel(1.5, 5);
    expect(k.length).toBe(11);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect([-2, -1, 0, 4, 5, 6].map((i) => reflectIndex(i, 5))).toEqual([1, 0, 0, 4, 4, 3]);
    const tiny = { data: new Uint8Array(100), width: 10, height: 10, channels: 1 };
    expect(() => ssim(tiny, tiny)).toThrow(/11×11/);
  });
});
