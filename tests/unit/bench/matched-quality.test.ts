/**
 * The matched-calls benchmark's classifier figures on a real evaluation set (a real ONNX
 * classifier whose logits are known arithmetic of each image's channel means): top-5 over the
 * prompts with a subcategory (caption match first, keywords second), and the Fréchet distance
 * of each setting's images to the uncached ones.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchedQuality } from '../../../main/eval/matched-quality';
import { cleanupTempDirs } from '../../helpers/runtime-fixture';
import { CLASSES, channelMeans, logitsOf, solidImage, writeEvalSet } from '../eval/eval-set-fixture';

afterAll(() => cleanupTempDirs());

const SIZE = { width: 64, height: 64 };
// 'a green leaf' is a caption (green-things); 'a dark night' has the keyword "dark"; 'a purple cat' has neither.
const PROMPTS = ['a green leaf', 'a dark night', 'a purple cat'];
const RED = solidImage([230, 20, 30]);
const DARK = solidImage([12, 10, 14]);
const GREEN = solidImage([20, 210, 30]);
const BLUE = solidImage([10, 20, 240]);

/** Whether `label` is among the first five classes the test classifier ranks for `image`. */
function inTop5(image: Uint8Array, label: string): boolean {
  const logits = logitsOf(channelMeans(image));
  const order = logits.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  return order.slice(0, 5).includes(CLASSES.indexOf(label));
}

describe('matchedQuality', () => {
  it('scores top-5 on the labelled prompts only, and gives 0 Fréchet to a copy of the uncached images and more to others', async () => {
    const { dir } = writeEvalSet();
    const reference = [GREEN, DARK, RED];
    const shifted = [BLUE, BLUE, BLUE];
    const q = await matchedQuality(dir, 'cpu', SIZE, PROMPTS, reference, [reference, shifted]);
    if (typeof q === 'string') throw new Error(q);
    expect({ labelled: q.labelled, prompts: q.prompts }).toEqual({ labelled: 2, prompts: 3 });
    const expected = (images: Uint8Array[]) => [inTop5(images[0] as Uint8Array, 'green-things'), inTop5(images[1] as Uint8Array, 'dark-things')].filter(Boolean).length / 2;
    expect(q.uncachedTop5).toBe(expected(reference));
    expect(q.settings[0]?.top5).toBe(expected(reference));
    expect(q.settings[1]?.top5).toBe(expected(shifted));
    expect(q.settings[0]?.frechet).toBeCloseTo(0, 6);
    expect(q.settings[1]?.frechet).toBeGreaterThan(1);
  });

  it('says why instead of judging: no evaluation set, or images of another size', async () => {
    const missing = await matchedQuality(path.join(writeEvalSet().dir, 'absent'), 'cpu', SIZE, PROMPTS, [RED], [[RED]]);
    expect(missing).toMatch(/evaluation folder .*absent does not exist/);
    const other = await matchedQuality(writeEvalSet().dir, 'cpu', { width: 32, height: 32 }, PROMPTS, [RED], [[RED]]);
    expect(other).toBe('the evaluation classifier takes 64x64 images, the model makes 32x32');
  });
});
