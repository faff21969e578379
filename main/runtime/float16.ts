/**
 * IEEE 754 binary16 ⇄ binary32 conversion for fp16 ONNX exports.
 *
 * Node 20 has no Float16Array, so onnxruntime-node takes and returns float16 tensors as
 * Uint16Array bit patterns. The pipeline computes in float32 and converts only at the
 * session boundary (inputs going in, outputs coming out).
 *
 * float32 → float16 rounds to nearest, ties to even, like numpy's `astype(np.float16)`
 * and the hardware F16C instructions: values past the largest half (65504) round to
 * ±Infinity once they reach 65520, tiny values become subnormals or signed zero, and NaN
 * stays NaN (quiet).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of the nearest binary16 to `value` (round half to even). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;

  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0); // Inf or NaN
  // Unbiased exponent, rebased for half precision (bias 15 instead of 127).
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    // Subnormal half (or zero): shift the full 24-bit significand into 10 bits.
    if (e < -10) return sign; // below half the smallest subnormal → ±0
    const full = mant | 0x800000;
    const shift = 14 - e; // 14..24
    const half = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    const up = rem > mid || (rem === mid && (half & 1) === 1) ? 1 : 0;
    return sign | (half + up);
  }
  // Normal: keep the top 10 mantissa bits and round on the 13 dropped ones.
  const half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  const up = rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1) ? 1 : 0;
  // A carry out of the mantissa correctly bumps the exponent, up to Inf (0x7c00).
  return sign | (half + up);
}

/** The float32 value of binary16 bits (exact: every half is representable in float32). */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Float32Array → Uint16Array of binary16 bits, element by element. */
export function toFloat16Array(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i] as number);
  return out;
}

/** Uint16Array of binary16 bits → Float32Array. */
export function fromFloat16Array(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i] as number);
  return out;
}
