/**
 * The media writer of clips (a video model's frames or a latent walk): one animated PNG
 * (png/apng-writer.ts) with the recipe in the same text chunks a still PNG carries, and the
 * frame rate from the recipe's `video.fps`.
 *
 * Why APNG in a `.png` file: every tool of the studio that reads its outputs (the recipe drop,
 * the clean-up of leftovers, the trash) already takes `.png`; Chromium's <img> and ImageDecoder
 * play it served as image/png; and a viewer without APNG support shows frame 0, the poster.
 */
import { LIMITS } from '../../contract/api';
import { encodeApng } from '../png/apng-writer';
import { checkFrames, type MediaWriter } from './media-writer';

export const APNG_MEDIA_WRITER: MediaWriter = {
  mimeType: 'image/png',
  extension: 'png',
  maxFrames: LIMITS.framesMax,
  encode(frames, recipe) {
    const { width, height } = checkFrames(this, frames);
    return encodeApng({ frames: frames.map((f) => f.rgb), width, height, fps: recipe.video?.fps ?? LIMITS.fpsDefault }, recipe);
  },
};
