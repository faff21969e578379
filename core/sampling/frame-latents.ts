/**
 * A video latent [C, F, h, w] as F image latents [C, h, w] (a transpose of the first two axes),
 * so an image VAE decodes a clip frame by frame. Pure TypeScript over Float32Arrays.
 */
import { checkLatentShape, type LatentShape, latentSize } from './latent-shape';

/** Frame f's latent: out[c, y, x] = latents[c, f, y, x]. @throws RangeError unless `shape` has frames and fits `latents` */
export function frameLatents(latents: Float32Array, shape: LatentShape): Float32Array[] {
  checkLatentShape(shape);
  const { channels, frames, height, width } = shape;
  if (frames === undefined) throw new RangeError('frameLatents needs a video latent shape (with frames)');
  if (latents.length !== latentSize(shape)) throw new RangeError(`a [${channels},${frames},${height},${width}] latent has ${latentSize(shape)} values, got ${latents.length}`);
  const plane = height * width;
  const out: Float32Array[] = [];
  for (let f = 0; f < frames; f++) {
    const frame = new Float32Array(channels * plane);
    for (let c = 0; c < channels; c++) frame.set(latents.subarray((c * frames + f) * plane, (c * frames + f + 1) * plane), c * plane);
    out.push(frame);
  }
  return out;
}
