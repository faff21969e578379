/** A clip as an animated GIF (core/export/gif-file.ts with the gifenc package). */
import * as gifenc from 'gifenc';
import { encodeGif } from '../../core/export/gif-file';
import type { ExportSource } from './export-source';

export function gifBytes(source: ExportSource, scale: number): Uint8Array {
  const { width, height, frames } = source.decoded;
  return encodeGif(gifenc, { width, height, frames: frames.map((f) => f.rgba), fps: source.fps }, scale, source.recipeText);
}
