/**
 * One latent decoded to float pixels, as the VAE gives them ([3, H, W] in about [−1, 1] per
 * image): an image latent [C, h, w] in one call, a video latent [C, F, h, w] frame by frame
 * (core's frameLatents), the frames' pixels concatenated in play order. What a measure of the
 * final picture (not the latent) compares, e.g. ERTACache's measured reuse cost.
 */
import { frameLatents } from '../../core/sampling/frame-latents';
import type { LatentShape } from '../../core/sampling/latent-shape';
import { concatFloat32 } from '../runtime/host-tensor';
import type { VaeDecoder } from '../runtime/vae-decoder';

export async function decodeLatentPixels(decoder: VaeDecoder, latent: Float32Array, shape: LatentShape): Promise<Float32Array> {
  const dims = [1, shape.channels, shape.height, shape.width];
  if (shape.frames === undefined) return (await decoder.decode(latent, dims)).data;
  const frames: Float32Array[] = [];
  for (const frame of frameLatents(latent, shape)) frames.push((await decoder.decode(frame, dims)).data);
  return concatFloat32(frames);
}
