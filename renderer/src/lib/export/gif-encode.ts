/** A clip as an animated GIF in the page: the same writer as "studio export" (core/export/gif-file.ts). */
import * as gifenc from 'gifenc';
import { defaultExportScale } from '../../../../core/export/export-formats';
import { encodeGif } from '../../../../core/export/gif-file';
import { framesAsRgba, type ClipFrames } from './clip-frames';

export function clipAsGif(clip: ClipFrames): Uint8Array {
  const scale = defaultExportScale(clip.width, clip.height);
  return encodeGif(gifenc, { width: clip.width, height: clip.height, frames: framesAsRgba(clip), fps: clip.fps }, scale, clip.recipeText);
}
