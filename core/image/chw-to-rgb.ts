/**
 * VAE output to 8-bit RGB pixels, the way diffusers' VaeImageProcessor does it
 * (`denormalize` then `numpy_to_pil`): v = clamp(x/2 + 0.5, 0, 1) in float32, then
 * round_half_even(float32(v·255)). x/2 + 0.5 equals (x+1)/2 with one float32 rounding. NaN (a
 * diverged model) becomes 0 instead of numpy's undefined uint8 cast.
 */
import { roundHalfEven } from '../sampler/numpy-semantics';

/** VAE output [3,H,W] float in [-1,1] (one image, CHW) → RGB8 interleaved [H,W,3]; value = round(clamp((x+1)/2,0,1)*255). */
export function chwToRgb8(chw: Float32Array, height: number, width: number): Uint8Array {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new RangeError(`chwToRgb8: height and width must be positive integers, got ${height}×${width}`);
  }
  const plane = height * width;
  if (chw.length !== 3 * plane) {
    throw new RangeError(`chwToRgb8: expected 3×${height}×${width} = ${3 * plane} values, got ${chw.length}`);
  }
  const rgb = new Uint8Array(3 * plane);
  for (let channel = 0; channel < 3; channel++) {
    for (let p = 0; p < plane; p++) {
      const x = chw[channel * plane + p] as number;
      const v = Math.min(Math.max(Math.fround(x / 2 + 0.5), 0), 1);
      rgb[p * 3 + channel] = Number.isNaN(v) ? 0 : roundHalfEven(Math.fround(v * 255));
    }
  }
  return rgb;
}
