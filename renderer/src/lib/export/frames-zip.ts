/**
 * A clip's frames as PNG files in one zip (fflate), at the stored size, with the recipe as
 * recipe.json beside them: a single PNG per frame has no room for the clip's recipe.
 *
 *   frame-001.png … frame-NNN.png, recipe.json
 *
 * PNGs are stored without recompression (they are deflated already).
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { ClientError } from '../client-error';
import type { ClipFrames } from './clip-frames';

export async function clipAsPngZip(clip: ClipFrames, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(clip.width, clip.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new ClientError({ code: 'ENCODER', message: 'This browser gave no 2D canvas to draw frames on.' });
  const digits = Math.max(3, String(clip.frames.length).length);
  const files: Zippable = {};
  for (let i = 0; i < clip.frames.length; i++) {
    signal?.throwIfAborted();
    ctx.clearRect(0, 0, clip.width, clip.height);
    ctx.drawImage(clip.frames[i] as ImageBitmap, 0, 0);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    files[`frame-${String(i + 1).padStart(digits, '0')}.png`] = [png, { level: 0 }];
    onProgress(i + 1, clip.frames.length);
  }
  files['recipe.json'] = strToU8(clip.recipeText);
  return zipSync(files);
}
