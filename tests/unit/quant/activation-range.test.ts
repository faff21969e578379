/** Static uint8 activation ranges: zero is exact, percentile clips outliers, MSE beats min/max on heavy tails. */
import { describe, expect, test } from 'vitest';
import { chooseRange, fakeQuantMse, uint8Params } from '../../../core/quant/activation-range';

/** A deterministic bulk in [−1, 1] with a few large outliers. */
function heavyTailed(): Float32Array {
  const a = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i * 12.9898) * 0.999);
  a[5] = 40;
  a[77] = -25;
  return a;
}

describe('activation ranges', () => {
  test('uint8Params widens to include 0 and puts 0 on the grid', () => {
    const p = uint8Params({ lo: 0.5, hi: 2 });
    expect(p.zeroPoint).toBe(0);
    expect(p.scale).toBeCloseTo(2 / 255, 9);
    const q = uint8Params({ lo: -1, hi: 3 });
    expect(q.zeroPoint).toBe(64);
    expect(fakeQuantMse(new Float32Array([0]), q)).toBe(0);
  });

  test('percentile ignores the outliers that min/max would span', () => {
    const r = chooseRange(heavyTailed(), 'percentile');
    expect(r.hi).toBeLessThan(1.01);
    expect(r.lo).toBeGreaterThan(-1.01);
  });

  test('mse picks a clipped range with lower error than min/max', () => {
    const s = heavyTailed();
    const r = chooseRange(s, 'mse');
    expect(r.hi).toBeLessThan(40);
    expect(fakeQuantMse(s, uint8Params(r))).toBeLessThan(fakeQuantMse(s, uint8Params({ lo: -25, hi: 40 })));
  });

  test('no samples is an error', () => {
    expect(() => chooseRange(new Float32Array(), 'mse')).toThrow(/no calibration samples/);
  });
});
