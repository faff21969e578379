/** The least-squares fits behind the tables recover known coefficients from synthetic data. */
import { describe, expect, test } from 'vitest';
import { ChannelLine, SharedSlope } from '../../../core/quant/regression';

/** Deterministic pseudo-noise in [−0.5, 0.5). */
const noise = (i: number) => ((Math.sin(i * 78.233) * 43758.5453) % 1) - 0.5 * Math.sign(Math.sin(i * 78.233));

describe('regression', () => {
  test('ChannelLine: y = slope[c]·x + intercept[c] per channel', () => {
    const slope = [0.1, -0.3, 0.02];
    const intercept = [0.5, 0, -0.25];
    const fit = new ChannelLine(3);
    for (let batch = 0; batch < 20; batch++) {
      const x = Float32Array.from({ length: 3 * 64 }, (_, j) => Math.cos(j * 0.7 + batch) * 2);
      const y = Float32Array.from(x, (v, j) => (slope[Math.floor(j / 64)] as number) * v + (intercept[Math.floor(j / 64)] as number) + 1e-3 * noise(j + batch * 1000));
      fit.add(x, y);
    }
    const got = fit.fit();
    got.slope.forEach((s, c) => expect(s).toBeCloseTo(slope[c] as number, 3));
    got.intercept.forEach((m, c) => expect(m).toBeCloseTo(intercept[c] as number, 3));
  });

  test('SharedSlope: one k for all channels, a bias per channel', () => {
    const fit = new SharedSlope(2);
    for (let batch = 0; batch < 10; batch++) {
      const x = Float32Array.from({ length: 2 * 50 }, (_, j) => Math.sin(j * 1.3 + batch));
      fit.add(x, Float32Array.from(x, (v, j) => -0.08 * v + (j < 50 ? 0.2 : -0.1)));
    }
    const got = fit.fit();
    expect(got.slope).toBeCloseTo(-0.08, 6);
    expect(got.intercept[0]).toBeCloseTo(0.2, 6);
    expect(got.intercept[1]).toBeCloseTo(-0.1, 6);
  });

  test('a channel without spread gets slope 0, and mismatched inputs are refused', () => {
    const fit = new ChannelLine(1);
    fit.add(new Float32Array([2, 2, 2]), new Float32Array([1, 2, 3]));
    expect(fit.fit()).toEqual({ slope: [0], intercept: [2] });
    expect(() => fit.add(new Float32Array(3), new Float32Array(2))).toThrow(/x has 3 values, y 2/);
    expect(() => new ChannelLine(2).add(new Float32Array(3), new Float32Array(3))).toThrow(/2 channels/);
  });
});
