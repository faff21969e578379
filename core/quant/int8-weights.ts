/**
 * Symmetric per-output-channel int8 weights: w ≈ s[c]·q, q ∈ [−127, 127], zero point 0. With
 * bits = 4 the grid is q ∈ [−7, 7] (int4 simulated: stored in int8, so the graph runs the same
 * int8 kernels with 4-bit weight precision and no size gain over 8 bits).
 *
 * The channel axis follows the op's weight layout (MatMul [K, N]: axis 1; Gemm transB=1 [N, K]:
 * axis 0; Conv [M, C/g, kH, kW]: axis 0). −128 is never used so that −q is always representable
 * (the symmetric grid ORT's int8 kernels expect).
 */

export interface QuantizedWeights {
  /** One int8 per weight, same layout as the input. */
  q: Int8Array;
  /** One scale per channel on `axis` (float units per int8 step). */
  scales: Float32Array;
}

/**
 * @param dims weight shape
 * @param axis the output-channel axis
 * @throws RangeError on a shape that does not match the data or an axis out of range
 */
export function quantizeWeightsPerChannel(w: Float32Array, dims: readonly number[], axis: number, bits: 4 | 8 = 8): QuantizedWeights {
  const qmax = bits === 4 ? 7 : 127;
  if (axis < 0 || axis >= dims.length) throw new RangeError(`axis ${axis} is outside a rank-${dims.length} weight`);
  const total = dims.reduce((a, b) => a * b, 1);
  if (total !== w.length) throw new RangeError(`weight has ${w.length} values, shape [${dims.join(',')}] needs ${total}`);
  const channels = dims[axis] as number;
  // Element index i → channel (i / inner) % channels, with inner = product of dims after axis.
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    const v = Math.abs(w[i] as number);
    if (v > (maxAbs[c] as number)) maxAbs[c] = v;
  }
  // An all-zero channel gets scale 1 (any scale reproduces zeros; 0 would divide by zero in DQ users).
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    q[i] = Math.max(-qmax, Math.min(qmax, Math.round((w[i] as number) / (scales[c] as number))));
  }
  return { q, scales };
}

/** s[c]·q, the weights the quantized graph computes with. */
export function dequantizeWeights(qw: QuantizedWeights, dims: readonly number[], axis: number): Float32Array {
  const channels = dims[axis] as number;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  return Float32Array.from(qw.q, (v, i) => v * (qw.scales[Math.floor(i / inner) % channels] as number));
}
