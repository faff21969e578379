/**
 * The latent walk's interpolation: slerp against the textbook formula with Math.acos/sin, its
 * ends, its norm-keeping on Gaussian noise (where lerp loses norm), and its refusals.
 */
import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../../../core/noise/gaussian-noise';
import { lerp, slerp, walkFraction } from '../../../core/sampling/interpolate';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

function textbookSlerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  const theta = Math.acos(dot / (norm(a) * norm(b)));
  const wa = Math.sin((1 - t) * theta) / Math.sin(theta);
  const wb = Math.sin(t * theta) / Math.sin(theta);
  return a.map((x, i) => wa * x + wb * (b[i] as number));
}

describe('slerp', () => {
  const a = gaussianNoise(1, 256);
  const b = gaussianNoise(2, 256);

  it('matches the textbook formula within float32 rounding', () => {
    for (const t of [0.1, 0.25, 0.5, 0.9]) {
      const got = slerp(a, b, t);
      const want = textbookSlerp(a, b, t);
      for (let i = 0; i < a.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 5);
    }
  });

  it('starts at a and ends at b', () => {
    expect(Array.from(slerp(a, b, 0))).toEqual(Array.from(a));
    const end = slerp(a, b, 1);
    for (let i = 0; i < a.length; i++) expect(end[i]).toBeCloseTo(b[i] as number, 5);
  });

  it('keeps the norm of Gaussian noise halfway, where lerp shrinks it', () => {
    const mid = norm(slerp(a, b, 0.5));
    const ends = (norm(a) + norm(b)) / 2;
    expect(Math.abs(mid - ends) / ends).toBeLessThan(0.05);
    expect(norm(lerp(a, b, 0.5)) / ends).toBeLessThan(0.8);
  });

  it('returns a itself along a walk whose ends are the same noise', () => {
    expect(Array.from(slerp(a, a, 0.4))).toEqual(Array.from(a));
  });

  it('is deterministic, bit for bit', () => {
    expect(Buffer.from(slerp(a, b, 0.3).buffer).equals(Buffer.from(slerp(a, b, 0.3).buffer))).toBe(true);
  });

  it('refuses arrays of different lengths and positions outside [0, 1]', () => {
    expect(() => slerp(a, gaussianNoise(2, 10), 0.5)).toThrow(/256 and 10 values/);
    expect(() => slerp(a, b, 1.5)).toThrow(/\[0, 1\], got 1.5/);
  });
});

describe('lerp and walkFraction', () => {
  it('lerps elementwise', () => {
    expect(Array.from(lerp(new Float32Array([0, 2]), new Float32Array([4, 6]), 0.25))).toEqual([1, 3]);
  });

  it('puts the first frame at 0 and the last at 1', () => {
    expect([0, 1, 2, 3].map((i) => walkFraction(i, 4))).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(() => walkFraction(4, 4)).toThrow(/frame 4 of 4/);
    expect(() => walkFraction(0, 1)).toThrow(/count ≥ 2/);
  });
});
