/**
 * A decoded preview latent → a small PNG data URL for a job.preview event: 8-bit RGB as the
 * final image is made (chwToRgb8), box-downscaled by a whole factor until no side exceeds
 * PREVIEW_LIMITS.maxSide (each output pixel is the rounded mean of an f×f block; a partial
 * block at the right or bottom edge is dropped), then PNG-encoded.
 */
import { PREVIEW_LIMITS } from '../../contract/api';
import { chwToRgb8 } from '../../core/image/chw-to-rgb';
import { encodePng } from '../png/png-writer';
import type { DecodedImage } from '../runtime/vae-decoder';

export interface PreviewImage {
  width: number;
  height: number;
  /** `data:image/png;base64,…` */
  dataUrl: string;
}

/** RGB8 [H,W,3] shrunk by `factor` in both directions (box filter). */
export function boxDownscale(rgb: Uint8Array, width: number, height: number, factor: number): { rgb: Uint8Array; width: number; height: number } {
  if (factor === 1) return { rgb, width, height };
  const w = Math.max(1, Math.floor(width / factor));
  const h = Math.max(1, Math.floor(height / factor));
  const out = new Uint8Array(w * h * 3);
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * width;
          for (let dx = 0; dx < factor; dx++) sum += rgb[(row + x * factor + dx) * 3 + c] as number;
        }
        out[(y * w + x) * 3 + c] = Math.round(sum / area);
      }
    }
  }
  return { rgb: out, width: w, height: h };
}

/** The first image of a decoder output as a preview; undefined when even downscaled it is over the size cap. */
export function previewImage(decoded: DecodedImage, maxSide: number = PREVIEW_LIMITS.maxSide): PreviewImage | undefined {
  const height = decoded.dims[2] as number;
  const width = decoded.dims[3] as number;
  const rgb = chwToRgb8(decoded.data.subarray(0, 3 * height * width), height, width);
  const small = boxDownscale(rgb, width, height, Math.max(1, Math.ceil(Math.max(width, height) / maxSide)));
  const dataUrl = `data:image/png;base64,${encodePng(small.rgb, small.width, small.height).toString('base64')}`;
  return dataUrl.length > PREVIEW_LIMITS.maxDataUrlChars ? undefined : { width: small.width, height: small.height, dataUrl };
}
