/**
 * A clip's frames as the motion classifier takes them: `count` frames picked from F at
 * indices round(i·(F − 1)/(count − 1)), i = 0..count−1 (first and last frame always kept, the
 * rest evenly spread), packed as float32 [batch, 3, count, H, W] in [−1, 1] (value = byte/127.5 − 1,
 * the range the VAE decoder produces, as for the image classifier).
 *
 * The rounding is Python's round (half to even), as the classifier's training code resamples,
 * so a clip is resampled here exactly as its real clips were.
 */

/** Python's round(): nearest integer, halves to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Frame indices that resample a clip of `frames` frames to `count` frames.
 * @throws RangeError unless frames ≥ 1 and count ≥ 2 are integers
 */
export function resampleIndices(frames: number, count: number): number[] {
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`resampleIndices: frames must be a positive integer (got ${frames})`);
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`resampleIndices: count must be an integer ≥ 2 (got ${count})`);
  return Array.from({ length: count }, (_, i) => roundHalfEven((i * (frames - 1)) / (count - 1)));
}

/**
 * Packs clips (each a list of H·W·3 RGB frames) into [clips.length, 3, indices.length, H, W].
 * @throws RangeError when a frame index is missing or a frame has the wrong size
 */
export function clipsToCthw(clips: readonly (readonly Uint8Array[])[], indices: readonly number[], height: number, width: number): Float32Array {
  const plane = height * width;
  const t = indices.length;
  const out = new Float32Array(clips.length * 3 * t * plane);
  clips.forEach((frames, b) => {
    indices.forEach((index, k) => {
      const rgb = frames[index];
      if (rgb === undefined) throw new RangeError(`clipsToCthw: clip ${b} has ${frames.length} frames, no frame ${index}`);
      if (rgb.length !== plane * 3) throw new RangeError(`clipsToCthw: clip ${b} frame ${index} has ${rgb.length} bytes; ${width}x${height} RGB needs ${plane * 3}`);
      for (let c = 0; c < 3; c++) {
        const base = ((b * 3 + c) * t + k) * plane;
        for (let i = 0; i < plane; i++) out[base + i] = (rgb[i * 3 + c] as number) / 127.5 - 1;
      }
    });
  });
  return out;
}
