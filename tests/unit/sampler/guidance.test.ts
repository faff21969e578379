import { describe, expect, it } from 'vitest';
import { applyGuidance } from '../../../core/sampler/guidance';

describe('applyGuidance', () => {
  const uncond = new Float32Array([0, 1, -2, 0.5]);
  const cond = new Float32Array([1, 1, 2, -0.5]);

  it('computes uncond + scale·(cond − uncond) into a new array', () => {
    const out = applyGuidance(uncond, cond, 7.5);
    expect(Array.from(out)).toEqual([7.5, 1, 28, -7]);
    expect(out).not.toBe(cond);
    expect(Array.from(uncond)).toEqual([0, 1, -2, 0.5]);
  });

  it('scale 1 returns the conditional output and scale 0 the unconditional one', () => {
    expect(Array.from(applyGuidance(uncond, cond, 1))).toEqual(Array.from(cond));
    expect(Array.from(applyGuidance(uncond, cond, 0))).toEqual(Array.from(uncond));
  });

  it('rejects mismatched lengths and non-finite scales', () => {
    expect(() => applyGuidance(uncond, cond.subarray(1), 2)).toThrow(RangeError);
    expect(() => applyGuidance(uncond, cond, Number.NaN)).toThrow(RangeError);
  });
});
