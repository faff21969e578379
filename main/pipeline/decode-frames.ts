/**
 * Image latents → RGB frames through the pipeline's image VAE, one frame per call: a clip's
 * frames are decoded as the images they are (a video latent is split by core's frameLatents
 * first), and the abort signal is checked between frames.
 */
import { chwToRgb8 } from '../../core/image/chw-to-rgb';
import type { VaeDecoder } from '../runtime/vae-decoder';
import { throwIfCancelled } from './cancellation';

export interface DecodedFrames {
  frames: Uint8Array[];
  width: number;
  height: number;
}

/**
 * @param latents one [C, h, w] latent per frame
 * @param dims [C, h, w]
 */
export async function decodeFrames(decoder: VaeDecoder, latents: readonly Float32Array[], dims: readonly number[], signal?: AbortSignal): Promise<DecodedFrames> {
  const frames: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  for (const latent of latents) {
    throwIfCancelled(signal);
    const image = await decoder.decode(latent, [1, ...dims]);
    height = image.dims[2] as number;
    width = image.dims[3] as number;
    frames.push(chwToRgb8(image.data.subarray(0, 3 * height * width), height, width));
  }
  return { frames, width, height };
}
