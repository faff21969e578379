import { describe, expect, test } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16Array, toFloat16Array } from '../../../main/runtime/float16';

describe('float32 → float16 bits', () => {
  test.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest half
    [65519.99, 0x7bff], // still rounds down
    [65520, 0x7c00], // halfway to 2^16 rounds to even → Infinity
    [1e9, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // exactly half the smallest subnormal: ties to even (0)
    [1.5 * 2 ** -25, 0x0001],
    [3 * 2 ** -25, 0x0002], // 1.5 subnormal units: ties to even (2)
    [1 + 2 ** -11, 0x3c00], // halfway between 1 and next: even is 1
    [1 + 3 * 2 ** -11, 0x3c02], // halfway between 0x3c01 and 0x3c02: even is 0x3c02
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above halfway rounds up
    [0.1, 0x2e66],
  ])('%s → 0x%s', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  test('NaN stays NaN', () => {
    const bits = float32ToFloat16Bits(NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x3ff).not.toBe(0);
    expect(float16BitsToFloat32(bits)).toBeNaN();
  });

  test('every finite half survives half → float → half unchanged', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0) continue; // NaNs
      if (float32ToFloat16Bits(float16BitsToFloat32(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  test('random floats round to the nearest half (ties to even)', () => {
    let state = 12345;
    const rand = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const wrong: number[] = [];
    for (let k = 0; k < 20000; k++) {
      const value = Math.fround((rand() - 0.5) * 2 ** (rand() * 40 - 26));
      const bits = float32ToFloat16Bits(value);
      const got = float16BitsToFloat32(bits);
      // Neighbours of the result (same sign) must not be closer.
      for (const n of [bits - 1, bits + 1]) {
        if ((n & 0x7fff) > 0x7bff || (n & 0x8000) !== (bits & 0x8000) || n < 0) continue;
        const other = float16BitsToFloat32(n);
        const dGot = Math.abs(got - value);
        const dOther = Math.abs(other - value);
        if (!(dGot < dOther || (dGot === dOther && (bits & 1) === 0))) wrong.push(value);
      }
    }
    expect(wrong).toEqual([]);
  });
});

test('array helpers convert element by element', () => {
  const values = Float32Array.from([0, 1, -2.5, 1000, 3.140625]);
  const bits = toFloat16Array(values);
  expect(Array.from(bits)).toEqual([0x0000, 0x3c00, 0xc100, 0x63d0, 0x4248]);
  expect(Array.from(fromFloat16Array(bits))).toEqual(Array.from(values));
});
