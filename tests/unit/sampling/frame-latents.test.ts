/** A video latent [C, F, h, w] split into F image latents [C, h, w]. */
import { describe, expect, it } from 'vitest';
import { frameLatents } from '../../../core/sampling/frame-latents';

describe('frameLatents', () => {
  it('takes frame f of every channel', () => {
    // C=2, F=3, h=1, w=2: value = 100·c + 10·f + x
    const latents = new Float32Array([0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]);
    const frames = frameLatents(latents, { channels: 2, frames: 3, height: 1, width: 2 });
    expect(frames.map((f) => Array.from(f))).toEqual([
      [0, 1, 100, 101],
      [10, 11, 110, 111],
      [20, 21, 120, 121],
    ]);
  });

  it('refuses an image shape and a latent of the wrong size', () => {
    expect(() => frameLatents(new Float32Array(4), { channels: 1, height: 2, width: 2 })).toThrow(/video latent shape/);
    expect(() => frameLatents(new Float32Array(5), { channels: 1, frames: 2, height: 1, width: 2 })).toThrow(/has 4 values, got 5/);
  });
});
