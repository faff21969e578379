/** Symmetric per-channel int8 weights: the round-trip error bound, the axis, and zero channels. */
import { describe, expect, test } from 'vitest';
import { dequantizeWeights, quantizeWeightsPerChannel } from '../../../core/quant/int8-weights';

describe('quantizeWeightsPerChannel', () => {
  test('MatMul [K, N] on axis 1: one scale per column, error at most half a step', () => {
    const K = 5, N = 3;
    // Column n spans ±(n+1)·10, so the scales differ by column.
    const w = Float32Array.from({ length: K * N }, (_, i) => Math.sin(i * 1.7) * ((i % N) + 1) * 10);
    const q = quantizeWeightsPerChannel(w, [K, N], 1);
    expect(q.scales).toHaveLength(N);
    for (let n = 0; n < N; n++) {
      const maxAbs = Math.max(...Array.from({ length: K }, (_, k) => Math.abs(w[k * N + n] as number)));
      expect(q.scales[n]).toBeCloseTo(maxAbs / 127, 6);
    }
    const back = dequantizeWeights(q, [K, N], 1);
    for (let i = 0; i < w.length; i++) expect(Math.abs((back[i] as number) - (w[i] as number))).toBeLessThanOrEqual((q.scales[i % N] as number) / 2 + 1e-6);
    expect(Math.max(...q.q)).toBeLessThanOrEqual(127);
    expect(Math.min(...q.q)).toBeGreaterThanOrEqual(-127);
  });

  test('Conv [M, C, kH, kW] on axis 0, and an all-zero channel gets scale 1 and zeros', () => {
    const w = new Float32Array(2 * 2 * 2 * 2);
    for (let i = 8; i < 16; i++) w[i] = i - 12;
    const q = quantizeWeightsPerChannel(w, [2, 2, 2, 2], 0);
    expect(Array.from(q.scales)).toEqual([1, Math.fround(4 / 127)]);
    expect(Array.from(q.q.subarray(0, 8))).toEqual(new Array(8).fill(0));
    expect(q.q[8]).toBe(-127);
  });

  test('4 bits: q in [−7, 7] with scale maxAbs/7, error at most half a step', () => {
    const w = Float32Array.from({ length: 40 }, (_, i) => Math.cos(i * 0.61) * (i % 2 === 0 ? 1 : 3));
    const q = quantizeWeightsPerChannel(w, [20, 2], 1, 4);
    expect(Math.max(...q.q)).toBe(7);
    expect(Math.min(...q.q)).toBeGreaterThanOrEqual(-7);
    const back = dequantizeWeights(q, [20, 2], 1);
    for (let i = 0; i < w.length; i++) expect(Math.abs((back[i] as number) - (w[i] as number))).toBeLessThanOrEqual((q.scales[i % 2] as number) / 2 + 1e-6);
  });

  test('refuses a shape that does not match the data or an axis out of range', () => {
    expect(() => quantizeWeightsPerChannel(new Float32Array(6), [2, 2], 0)).toThrow(/6 values/);
    expect(() => quantizeWeightsPerChannel(new Float32Array(4), [2, 2], 2)).toThrow(/axis 2/);
  });
});
