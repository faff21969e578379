/**
 * Classifier-free guidance (Ho & Salimans 2022): push the conditional prediction away from the
 * unconditional one. Computed per element in float64 and rounded once to float32.
 */

/** Classifier-free guidance: uncond + scale·(cond − uncond), elementwise, new array. */
export function applyGuidance(uncond: Float32Array, cond: Float32Array, scale: number): Float32Array {
  if (uncond.length !== cond.length) {
    throw new RangeError(`guidance: unconditional output has ${uncond.length} values, conditional ${cond.length}`);
  }
  if (!Number.isFinite(scale)) throw new RangeError(`guidance: scale must be finite, got ${scale}`);
  const out = new Float32Array(cond.length);
  for (let i = 0; i < cond.length; i++) {
    const u = uncond[i] as number;
    out[i] = u + scale * ((cond[i] as number) - u);
  }
  return out;
}
