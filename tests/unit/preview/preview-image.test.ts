/**
 * A decoded preview → the small PNG data URL a job.preview carries (main/pipeline/preview-image.ts):
 * whole-factor box downscaling to PREVIEW_LIMITS.maxSide, and the size cap.
 */
import { describe, expect, it } from 'vitest';
import { PREVIEW_LIMITS } from '../../../contract/api';
import { boxDownscale, previewImage } from '../../../main/pipeline/preview-image';
import { decodePng } from '../../../main/png/png-reader';

const png = (dataUrl: string) => decodePng(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));

describe('boxDownscale', () => {
  it('averages each f×f block per channel (rounded) and drops a partial edge block', () => {
    // 3×2 pixels, factor 2: one output pixel from the left 2×2 block; column 2 is dropped.
    const rgb = Uint8Array.from([0, 10, 255, 2, 20, 255, 99, 99, 99, 4, 30, 0, 7, 41, 0, 99, 99, 99]);
    expect(boxDownscale(rgb, 3, 2, 2)).toEqual({ rgb: Uint8Array.from([3, 25, 128]), width: 1, height: 1 });
  });

  it('factor 1 is the image itself', () => {
    const rgb = Uint8Array.from([1, 2, 3]);
    expect(boxDownscale(rgb, 1, 1, 1).rgb).toBe(rgb);
  });
});

describe('previewImage', () => {
  const decoded = (size: number, value: number) => ({ data: new Float32Array(3 * size * size).fill(value), dims: [1, 3, size, size] });

  it('keeps a small image at its size, as 8-bit RGB the way the final image is made', () => {
    const image = previewImage(decoded(64, 0));
    expect(image).toMatchObject({ width: 64, height: 64 });
    const pixels = png(image?.dataUrl ?? '');
    expect(pixels).toMatchObject({ width: 64, height: 64 });
    expect(pixels.rgb[0]).toBe(128); // (0 + 1) / 2 · 255 = 127.5, rounded half to even
  });

  it(`shrinks a 1024 px image by a whole factor to at most ${PREVIEW_LIMITS.maxSide} px a side`, () => {
    const image = previewImage(decoded(1024, 1));
    expect(image).toMatchObject({ width: 256, height: 256 });
    expect(png(image?.dataUrl ?? '').rgb[0]).toBe(255);
  });

  it('gives nothing when even the downscaled PNG is over the size cap', () => {
    // Noise does not compress: 256×256×3 bytes of it is over 262144 characters as base64.
    const hash = (i: number) => {
      const x = Math.sin(i * 12.9898) * 43758.5453;
      return 2 * (x - Math.floor(x)) - 1;
    };
    const noisy = { data: Float32Array.from({ length: 3 * 256 * 256 }, (_, i) => hash(i)), dims: [1, 3, 256, 256] };
    expect(previewImage(noisy)).toBeUndefined();
    expect(previewImage(noisy, 64)).toMatchObject({ width: 64, height: 64 });
  });
});
