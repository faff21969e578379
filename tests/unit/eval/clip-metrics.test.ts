/**
 * The pure pieces of a video evaluation: resampling a clip to the motion classifier's frames,
 * packing clips, frame-to-frame consistency on synthetic clips, and identity consistency.
 */
import { describe, expect, it } from 'vitest';
import { clipConsistency } from '../../../core/eval/clip-consistency';
import { clipsToCthw, resampleIndices, roundHalfEven } from '../../../core/eval/clip-frames';
import { identityConsistency } from '../../../core/eval/identity-consistency';

const W = 16;
const H = 16;

/** A W×H RGB frame filled with `value`, or with `f(x, y)`. */
function frame(value: number | ((x: number, y: number) => number)): Uint8Array {
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) out.fill(typeof value === 'number' ? value : value(x, y), (y * W + x) * 3, (y * W + x) * 3 + 3);
  }
  return out;
}

describe('resampleIndices', () => {
  it('keeps the first and last frame and spreads the rest as round(i·(F−1)/7)', () => {
    expect(resampleIndices(16, 8)).toEqual([0, 2, 4, 6, 9, 11, 13, 15]);
    expect(resampleIndices(8, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(resampleIndices(12, 8)).toEqual([0, 2, 3, 5, 6, 8, 9, 11]);
  });

  it('rounds halves to even as Python does', () => {
    expect([0.5, 1.5, 2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 2, 3]);
    // 5 frames to 3: i·4/2 is exact; 4 frames to 3: 1.5 → 2.
    expect(resampleIndices(4, 3)).toEqual([0, 2, 3]);
  });

  it('refuses sizes that make no clip', () => {
    expect(() => resampleIndices(0, 8)).toThrow(RangeError);
    expect(() => resampleIndices(16, 1)).toThrow(RangeError);
  });
});

describe('clipsToCthw', () => {
  it('packs [batch, 3, T, H, W] in [−1, 1] from the picked frames', () => {
    const clip = [frame(0), frame(255), frame(51)];
    const out = clipsToCthw([clip], [0, 2], H, W);
    expect(out.length).toBe(3 * 2 * H * W);
    expect(out[0]).toBe(-1); // channel 0, t 0
    expect(out[H * W]).toBeCloseTo(51 / 127.5 - 1, 6); // channel 0, t 1 = frame 2
    expect(out[2 * H * W]).toBe(-1); // channel 1, t 0
  });

  it('refuses a missing frame', () => {
    expect(() => clipsToCthw([[frame(0)]], [0, 1], H, W)).toThrow(/no frame 1/);
  });
});

describe('clipConsistency', () => {
  it('scores a still clip SSIM 1 with no change', () => {
    const c = clipConsistency([frame(100), frame(100), frame(100), frame(100)], W, H);
    expect(c).toEqual({ ssim: 1, step: 0, accel: 0 });
  });

  it('measures a steady fade as constant steps and no acceleration', () => {
    const c = clipConsistency([frame(0), frame(51), frame(102), frame(153)], W, H);
    expect(c.step).toBeCloseTo(0.2, 10);
    expect(c.accel).toBeCloseTo(0, 10);
    expect(c.ssim).toBeLessThan(1);
  });

  it('measures flicker as large steps and twice as large acceleration', () => {
    const c = clipConsistency([frame(0), frame(255), frame(0), frame(255)], W, H);
    expect(c.step).toBeCloseTo(1, 10);
    expect(c.accel).toBeCloseTo(2, 10);
  });

  it('gives a moving edge lower SSIM than a still one', () => {
    const edge = (at: number) => frame((x) => (x < at ? 0 : 255));
    const moving = clipConsistency([edge(4), edge(7), edge(10)], W, H);
    const still = clipConsistency([edge(7), edge(7), edge(7)], W, H);
    expect(moving.ssim).toBeLessThan(still.ssim);
    expect(moving.step).toBeCloseTo(3 / 16, 10);
  });

  it('refuses clips too short for a second difference', () => {
    expect(() => clipConsistency([frame(0), frame(0)], W, H)).toThrow(/at least 3 frames/);
  });
});

describe('identityConsistency', () => {
  it('is the share of frames equal to the majority top-1', () => {
    expect(identityConsistency([3, 3, 3, 3])).toEqual({ majority: 3, share: 1 });
    expect(identityConsistency([3, 5, 3, 7, 3, 5, 3, 3])).toEqual({ majority: 3, share: 5 / 8 });
    expect(identityConsistency([1, 2, 3, 4])).toMatchObject({ share: 0.25 });
  });

  it('breaks a tie by the class that reached the count first', () => {
    expect(identityConsistency([1, 2, 2, 1])).toEqual({ majority: 2, share: 0.5 });
  });

  it('refuses an empty clip', () => {
    expect(() => identityConsistency([])).toThrow(RangeError);
  });
});
