import { describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { timestepDims } from '../../../main/runtime/denoiser';
import { floatTensor, intTensor, numericTensor, toFloat32 } from '../../../main/runtime/host-tensor';

describe('timestep tensors adapt to the declared type', () => {
  test('int64 takes the nearest integer as BigInt', () => {
    const t = numericTensor('int64', [999, 12.6, 0.4], [3]);
    expect(t.type).toBe('int64');
    expect(t.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(t.data as BigInt64Array)).toEqual([999n, 13n, 0n]);
  });

  test('int32 takes the nearest integer', () => {
    const t = numericTensor('int32', [981.5], [1]);
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(Array.from(t.data as Int32Array)).toEqual([982]);
  });

  test('float16 keeps binary16 bits and widens back exactly', () => {
    const t = numericTensor('float16', [999, 500.25], [2]);
    expect(t.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(toFloat32(t))).toEqual([999, 500.25]);
  });

  test('float32 passes fractional values unchanged', () => {
    const t = numericTensor('float32', [0.123], []);
    expect(t.dims).toEqual([]);
    expect(toFloat32(t)[0]).toBeCloseTo(0.123, 6);
  });

  test('an unsupported declared type is a MODEL_LAYOUT error', () => {
    expect(() => numericTensor('float64', [1], [1])).toThrowError(StudioError);
    expect(() => floatTensor('int64', new Float32Array(1), [1])).toThrow(/float32 or float16/);
    expect(() => intTensor('float32', [1], [1])).toThrow(/int32 or int64/);
  });

  test('data length must match dims', () => {
    expect(() => floatTensor('float32', new Float32Array(3), [2, 2])).toThrow(/3 elements but dims \[2,2\] need 4/);
  });
});

describe('timestep shapes', () => {
  test('scalar, [1] and [batch] as declared', () => {
    expect(timestepDims([], 2)).toEqual([]);
    expect(timestepDims([1], 2)).toEqual([1]);
    expect(timestepDims([2], 2)).toEqual([2]);
    expect(timestepDims(['batch'], 2)).toEqual([2]);
    expect(timestepDims(['batch'], 1)).toEqual([1]);
  });

  test('a rank-2 timestep is refused', () => {
    expect(() => timestepDims([1, 1], 1)).toThrow(/scalar, \[1\] or \[batch\]/);
  });
});
