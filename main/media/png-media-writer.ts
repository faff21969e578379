/**
 * Today's one media writer: a single frame as a PNG carrying the recipe in its text
 * chunks (png/png-writer.ts does the encoding).
 */
import { encodeRecipePng } from '../png/png-writer';
import { checkFrames, type MediaWriter } from './media-writer';

export const PNG_MEDIA_WRITER: MediaWriter = {
  mimeType: 'image/png',
  extension: 'png',
  maxFrames: 1,
  encode(frames, recipe) {
    const frame = checkFrames(this, frames);
    return encodeRecipePng(frame.rgb, frame.width, frame.height, recipe);
  },
};
