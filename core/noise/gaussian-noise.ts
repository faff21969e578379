/**
 * The studio's initial-noise generator: the same seed gives the same latents, bit for bit, on
 * every OS, CPU and JavaScript engine, so a recipe (seed + NOISE_GENERATOR_ID) reproduces an image.
 *
 * Algorithm "philox4x32-10/box-muller/v1", for a uint32 seed and output index n = 0, 1, 2, …:
 *   1. Block b = ⌊n/4⌋: (x0, x1, x2, x3) = Philox4x32-10(counter = (b, stream, 0, 0), key = (seed, 0)),
 *      see philox.ts (b < 2³², far beyond any latent). Stream 0 is the initial latent noise;
 *      a stochastic sampler's step i draws stream i + 1, so every step's noise is independent
 *      of the others and of the latent size of the previous ones.
 *   2. Pair (x0, x1) gives outputs 4b and 4b+1; pair (x2, x3) gives 4b+2 and 4b+3. For a pair (p, q):
 *        u1 = (p + 0.5) / 2³²,  u2 = (q + 0.5) / 2³²       (exact doubles; u1 ∈ (0, 1), never 0)
 *        r  = sqrt(−2 · portableLog(u1))                 (IEEE sqrt, correctly rounded)
 *        (c, s) = portableCosSinTurns(u2)                 (cos, sin of 2π·u2; portable-math.ts)
 *        first = float32(r · c),  second = float32(r · s)  (round to nearest even)
 *   3. When count is not a multiple of 4, the last block's unused outputs are dropped.
 * All arithmetic is float64 until the final rounding; see portable-math.ts for why log/cos/sin
 * are not Math.log/Math.cos/Math.sin. Changing anything here must change NOISE_GENERATOR_ID.
 */
import { philox4x32x10 } from './philox';
import { portableCosSinTurns, portableLog } from './portable-math';

export const NOISE_GENERATOR_ID = 'philox4x32-10/box-muller/v1';

const TWO_POW_32 = 4294967296;

/** Standard normal Float32Array of length count from a uint32 seed and stream; identical bits on every platform/JS engine. */
export function gaussianNoise(seed: number, count: number, stream = 0): Float32Array {
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new RangeError(`noise stream must be an integer in 0..4294967295, got ${stream}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`noise seed must be an integer in 0..4294967295, got ${seed}`);
  }
  if (!Number.isInteger(count) || count < 0 || count / 4 > TWO_POW_32) {
    throw new RangeError(`noise count must be a non-negative integer, got ${count}`);
  }
  const out = new Float32Array(count);
  const block = new Uint32Array(4);
  for (let b = 0; b * 4 < count; b++) {
    philox4x32x10(b, stream, 0, 0, seed, 0, block);
    for (let pair = 0; pair < 2; pair++) {
      const n = b * 4 + pair * 2;
      if (n >= count) break;
      const u1 = ((block[pair * 2] as number) + 0.5) / TWO_POW_32;
      const u2 = ((block[pair * 2 + 1] as number) + 0.5) / TWO_POW_32;
      const r = Math.sqrt(-2 * portableLog(u1));
      const { cos, sin } = portableCosSinTurns(u2);
      out[n] = r * cos;
      if (n + 1 < count) out[n + 1] = r * sin;
    }
  }
  return out;
}
