/**
 * Interpolation between two latents or two prompt embeddings, for a latent walk: frame i of F
 * sits at t = i/(F−1) between the walk's two ends.
 *
 *   slerp(a, b, t) = sin((1−t)θ)/sin θ · a + sin(tθ)/sin θ · b,   cos θ = a·b / (|a| |b|)
 *   lerp(a, b, t)  = a + t · (b − a)
 *
 * Gaussian noise wants slerp: two independent noise vectors are nearly orthogonal, and a straight
 * line between them passes through vectors of smaller norm (about 0.71× at t = ½), which a
 * sampler reads as less noise and turns into a washed-out image. Along the arc the norm stays.
 *
 * Portable: θ and the sines come from core/noise's portable cos/sin (IEEE +, −, ×, ÷ and sqrt
 * only) and sums run in index order in doubles, so a walk's noise is the same bits on every
 * engine, like the noise itself.
 */
import { portableCosSinTurns } from '../noise/portable-math';

/** Below this angle (radians) the arc is a line to float32 precision: lerp instead of dividing by sin θ ≈ 0. */
const PARALLEL_ANGLE = 1e-6;

/** Where frame `index` of `count` sits on the walk: 0 for the first, 1 for the last. @throws RangeError */
export function walkFraction(index: number, count: number): number {
  if (!Number.isInteger(count) || count < 2 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`a walk frame must be 0..count−1 of count ≥ 2 frames, got frame ${index} of ${count}`);
  }
  return index / (count - 1);
}

/** a + t·(b − a), elementwise. @throws RangeError on arrays of different lengths */
export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  checkPair(a, b, t);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + t * ((b[i] as number) - (a[i] as number));
  return out;
}

/** Spherical interpolation along the great circle from a to b; lerp when they are (nearly) parallel. @throws RangeError */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  checkPair(a, b, t);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (aa === 0 || bb === 0) return lerp(a, b, t);
  const cosTheta = Math.min(1, Math.max(-1, dot / (Math.sqrt(aa) * Math.sqrt(bb))));
  const turns = arcTurns(cosTheta);
  const theta = turns * 2 * Math.PI;
  if (theta < PARALLEL_ANGLE) return lerp(a, b, t);
  const sinTheta = portableCosSinTurns(turns).sin;
  const wa = portableCosSinTurns((1 - t) * turns).sin / sinTheta;
  const wb = portableCosSinTurns(t * turns).sin / sinTheta;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * (a[i] as number) + wb * (b[i] as number);
  return out;
}

/**
 * θ/(2π) ∈ [0, ½] with cos θ = c, by bisection on the portable cosine (decreasing on [0, ½] turns):
 * 64 halvings pin it to a double, with no engine's Math.acos involved.
 */
function arcTurns(c: number): number {
  let lo = 0;
  let hi = 0.5;
  for (let k = 0; k < 64; k++) {
    const mid = (lo + hi) / 2;
    if (portableCosSinTurns(mid).cos > c) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function checkPair(a: Float32Array, b: Float32Array, t: number): void {
  if (a.length !== b.length) throw new RangeError(`cannot interpolate between ${a.length} and ${b.length} values`);
  if (!(t >= 0 && t <= 1)) throw new RangeError(`interpolation position must be in [0, 1], got ${t}`);
}
