/** The GIF writer shared by the CLI and the app: block layout, comment, delays, palette. */
import * as gifenc from 'gifenc';
import { describe, expect, it } from 'vitest';
import { encodeGif, gifCommentExtension, gifFrameDelaysMs, upscaleIndices } from '../../../core/export/gif-file';
import { gradientClip } from '../../helpers/apng-fixture';
import { walkGif } from '../../helpers/gif-blocks';

describe('gifCommentExtension', () => {
  it('is 0x21 0xFE, sub-blocks of at most 255 bytes, then a 0 terminator', () => {
    const text = 'x'.repeat(600);
    const block = gifCommentExtension(text);
    expect([block[0], block[1]]).toEqual([0x21, 0xfe]);
    expect(block[2]).toBe(255);
    expect(block[2 + 256]).toBe(255);
    expect(block[2 + 512]).toBe(90);
    expect(block[block.length - 1]).toBe(0);
    expect(block.length).toBe(2 + 600 + 3 + 1);
  });

  it('escapes everything outside printable ASCII as \\uXXXX, so JSON stays JSON', () => {
    const json = JSON.stringify({ prompt: 'snow ☃ café\n' });
    const block = gifCommentExtension(json);
    const text = Buffer.from(block.subarray(3, 3 + (block[2] as number))).toString('latin1');
    expect(text).toBe('{"prompt":"snow \\u2603 caf\\u00e9\\n"}');
    expect(JSON.parse(text)).toEqual({ prompt: 'snow ☃ café\n' });
  });
});

describe('gifFrameDelaysMs', () => {
  it('keeps the running total on the ideal timeline in whole centiseconds', () => {
    const delays = gifFrameDelaysMs(16, 8);
    expect(delays.every((d) => d % 10 === 0 && (d === 120 || d === 130))).toBe(true);
    expect(delays.reduce((a, d) => a + d, 0)).toBe(2000);
    expect(gifFrameDelaysMs(3, 100)).toEqual([20, 20, 20]);
  });
});

describe('encodeGif', () => {
  it('writes every frame at the scaled size with one global palette, a loop and the comment', () => {
    const clip = gradientClip(6, 8, 6);
    const recipe = JSON.stringify({ seed: 3, prompt: 'ünï' });
    const gif = walkGif(encodeGif(gifenc, { ...clip, fps: 8 }, 4, recipe));
    expect(gif).toMatchObject({ width: 32, height: 24, frames: 6, loops: 0 });
    expect(gif.delaysCs).toEqual([13, 12, 13, 12, 13, 12]);
    expect(JSON.parse(gif.comments[0]!)).toEqual({ seed: 3, prompt: 'ünï' });
  });

  it('upscales palette indices by repeating each pixel', () => {
    expect(Array.from(upscaleIndices(Uint8Array.from([1, 2, 3, 4]), 2, 2, 2))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});
