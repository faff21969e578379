import { describe, expect, it } from 'vitest';
import { chwToRgb8 } from '../../core/image/chw-to-rgb';

describe('chwToRgb8', () => {
  it('maps −1 → 0, 0 → 128, 1 → 255 and clamps outside [−1, 1]', () => {
    // One row of 5 pixels; red gets the test values, green and blue are constant.
    const values = [-1, 0, 1, -3, 7];
    const chw = new Float32Array([...values, ...values.map(() => 1), ...values.map(() => -1)]);
    const rgb = chwToRgb8(chw, 1, 5);
    expect(Array.from(rgb)).toEqual([0, 255, 0, 128, 255, 0, 255, 255, 0, 0, 255, 0, 255, 255, 0]);
  });

  it('interleaves CHW planes into HWC pixels', () => {
    const h = 2;
    const w = 3;
    const chw = new Float32Array(3 * h * w);
    for (let c = 0; c < 3; c++) for (let p = 0; p < h * w; p++) chw[c * h * w + p] = (c * 6 + p) / 17.5 - 1;
    const rgb = chwToRgb8(chw, h, w);
    for (let p = 0; p < h * w; p++) {
      for (let c = 0; c < 3; c++) {
        const x = (c * 6 + p) / 17.5 - 1;
        expect(Math.abs((rgb[p * 3 + c] as number) - ((x + 1) / 2) * 255)).toBeLessThanOrEqual(0.5 + 1e-4);
      }
    }
  });

  it('rounds exact halves to even as numpy does, and NaN to 0', () => {
    // float32: x/2 + 0.5 = 0.25294…, ·255 rounds to exactly 64.5 → numpy gives 64 (Math.round: 65).
    const x = -0.4941175878047943;
    expect(Math.fround(Math.fround(Math.fround(x / 2) + 0.5) * 255)).toBe(64.5);
    const rgb = chwToRgb8(new Float32Array([x, 0, Number.NaN]), 1, 1);
    expect(Array.from(rgb)).toEqual([64, 128, 0]);
  });

  it('rejects a size that does not match', () => {
    expect(() => chwToRgb8(new Float32Array(12), 2, 3)).toThrow(RangeError);
    expect(() => chwToRgb8(new Float32Array(0), 0, 0)).toThrow(RangeError);
  });
});
