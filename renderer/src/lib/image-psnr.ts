/**
 * PSNR between two result images, computed in the page: both are drawn to a canvas at their
 * natural size and compared over RGB (alpha ignored) with core/metrics' psnr.
 */
import { psnr } from '../../../core/metrics/psnr';

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  // Lets a same-origin-with-CORS image (e.g. another custom-protocol host) stay readable.
  image.crossOrigin = 'anonymous';
  image.src = url;
  await image.decode();
  return image;
}

function rgbPixels(image: HTMLImageElement, width: number, height: number): Uint8Array {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('this page cannot create a 2D canvas');
  context.drawImage(image, 0, 0);
  const rgba = context.getImageData(0, 0, width, height).data;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i] as number;
    rgb[j + 1] = rgba[i + 1] as number;
    rgb[j + 2] = rgba[i + 2] as number;
  }
  return rgb;
}

/** PSNR in dB of `testUrl` against `referenceUrl` (+Infinity when identical). @throws when the sizes differ or the pixels cannot be read. */
export async function imagePsnr(testUrl: string, referenceUrl: string): Promise<number> {
  const [test, reference] = await Promise.all([loadImage(testUrl), loadImage(referenceUrl)]);
  const { naturalWidth: width, naturalHeight: height } = reference;
  if (test.naturalWidth !== width || test.naturalHeight !== height) {
    throw new Error(`the images differ in size (${test.naturalWidth}×${test.naturalHeight} vs ${width}×${height})`);
  }
  return psnr(rgbPixels(test, width, height), rgbPixels(reference, width, height));
}
