/**
 * Which held-out motion prompts a video evaluation of n clips takes: spread over both held-out
 * sets and every motion before any group gets a second prompt, seeds base + i.
 */
import { describe, expect, it } from 'vitest';
import type { MotionPrompt } from '../../../main/eval/motion-assets';
import { motionItems } from '../../../main/eval/motion-items';

/** Three prompts per (motion, set) for 3 motions, emoji set first in the file as the export writes them. */
const prompts: MotionPrompt[] = (['held-out emoji', 'held-out pair'] as const).flatMap((set) =>
  [0, 1, 2].flatMap((motion) => [0, 1, 2].map((k) => ({ prompt: `e${k} m${motion}`, label: `e${k}`, hexcode: 'x', subcategory: 's', motion, set, line: 0 }))),
);

describe('motionItems', () => {
  it('takes one prompt per motion and set before a second one, with seeds base + i', () => {
    const items = motionItems(prompts, 3, 8, 100);
    expect(items.map((it) => [it.motion, it.set === 'held-out emoji' ? 'E' : 'P', it.label, it.seed])).toEqual([
      [0, 'E', 'e0', 100], [0, 'P', 'e0', 101], [1, 'E', 'e0', 102], [1, 'P', 'e0', 103], [2, 'E', 'e0', 104], [2, 'P', 'e0', 105],
      [0, 'E', 'e1', 106], [0, 'P', 'e1', 107],
    ]);
  });

  it('covers both sets with two clips and every prompt without n', () => {
    expect(motionItems(prompts, 3, 2, 0).map((it) => it.set)).toEqual(['held-out emoji', 'held-out pair']);
    expect(new Set(motionItems(prompts, 3, undefined, 0).map((it) => it.prompt + it.set)).size).toBe(prompts.length);
  });

  it('refuses more clips than prompts and seeds past the limit', () => {
    expect(() => motionItems(prompts, 3, 19, 0)).toThrow('--n 19 is more than the 18 held-out motion prompts.');
    expect(() => motionItems(prompts, 3, 2, 4294967295)).toThrow(/do not fit/);
  });
});
