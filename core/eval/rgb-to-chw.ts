/**
 * 8-bit interleaved RGB images → the float32 [batch, 3, H, W] tensor in [−1, 1] that the
 * evaluation classifier takes (the same range the VAE decoder produces, so generated and
 * real images are fed identically): value = byte / 127.5 − 1.
 */

/**
 * Packs `images` (each H·W·3 bytes, row-major RGB) into one CHW batch.
 * @returns Float32Array of length images.length · 3 · height · width
 */
export function rgb8BatchToChw(images: readonly Uint8Array[], height: number, width: number): Float32Array {
  const plane = height * width;
  const out = new Float32Array(images.length * 3 * plane);
  images.forEach((rgb, b) => {
    if (rgb.length !== plane * 3) throw new RangeError(`rgb8BatchToChw: image ${b} has ${rgb.length} bytes; ${width}x${height} RGB needs ${plane * 3}`);
    const base = b * 3 * plane;
    for (let i = 0; i < plane; i++) {
      out[base + i] = (rgb[i * 3] as number) / 127.5 - 1;
      out[base + plane + i] = (rgb[i * 3 + 1] as number) / 127.5 - 1;
      out[base + 2 * plane + i] = (rgb[i * 3 + 2] as number) / 127.5 - 1;
    }
  });
  return out;
}
