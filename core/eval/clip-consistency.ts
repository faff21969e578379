/**
 * How smoothly a clip moves from frame to frame, on its 8-bit RGB frames:
 *
 *   ssim   mean SSIM (core/metrics/ssim.ts, luminance) of consecutive frames x_t, x_{t+1}
 *   step   mean |x_{t+1} − x_t| over every pixel, channel and pair, in pixel units 0..1 (byte/255)
 *   accel  mean |x_{t+1} − 2·x_t + x_{t−1}| likewise, over every triple: jitter, where `step` is
 *          motion (a steady slide has step > 0 and accel near 0; flicker has both large)
 *
 * A still clip scores ssim 1, step 0, accel 0.
 */
import { ssim } from '../metrics/ssim';

export interface ClipConsistency {
  ssim: number;
  step: number;
  accel: number;
}

/**
 * @param frames each width·height·3 RGB bytes, in play order (at least 3)
 * @throws RangeError with fewer than 3 frames or a frame of the wrong size
 */
export function clipConsistency(frames: readonly Uint8Array[], width: number, height: number): ClipConsistency {
  if (frames.length < 3) throw new RangeError(`clipConsistency: needs at least 3 frames (got ${frames.length})`);
  const size = width * height * 3;
  frames.forEach((f, i) => {
    if (f.length !== size) throw new RangeError(`clipConsistency: frame ${i} has ${f.length} bytes; ${width}x${height} RGB needs ${size}`);
  });
  let ssimSum = 0;
  let stepSum = 0;
  for (let t = 0; t + 1 < frames.length; t++) {
    const a = frames[t] as Uint8Array;
    const b = frames[t + 1] as Uint8Array;
    ssimSum += ssim({ data: a, width, height, channels: 3 }, { data: b, width, height, channels: 3 });
    for (let i = 0; i < size; i++) stepSum += Math.abs((b[i] as number) - (a[i] as number));
  }
  let accelSum = 0;
  for (let t = 1; t + 1 < frames.length; t++) {
    const prev = frames[t - 1] as Uint8Array;
    const cur = frames[t] as Uint8Array;
    const next = frames[t + 1] as Uint8Array;
    for (let i = 0; i < size; i++) accelSum += Math.abs((next[i] as number) - 2 * (cur[i] as number) + (prev[i] as number));
  }
  const pairs = frames.length - 1;
  const triples = frames.length - 2;
  return { ssim: ssimSum / pairs, step: stepSum / (pairs * size * 255), accel: accelSum / (triples * size * 255) };
}
