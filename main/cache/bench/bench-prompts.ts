/**
 * The cache benchmark's prompts: a calibration set (records the profile) and a benchmark set
 * (the images every method is judged on), in the style of the emoji models' captions
 * ("<name>, <style>"). They must be disjoint (cache-peers.md §4): a profile fitted on the very
 * prompts it is scored on flatters the methods that use one (TeaCache, MagCache, ERTACache).
 */
import { StudioError } from '../../../contract/errors';

export const DEFAULT_CALIBRATION_PROMPTS: readonly string[] = [
  'grinning face, twemoji',
  'red apple, noto',
  'cat face, twemoji',
  'rocket, noto',
  'pizza, twemoji',
  'sun behind cloud, noto',
  'blue heart, twemoji',
  'dog face, noto',
  'birthday cake, twemoji',
  'smiling face with sunglasses, noto',
  'deciduous tree, twemoji',
  'automobile, noto',
  'crying face, twemoji',
  'watermelon, noto',
  'snowman, twemoji',
  'guitar, noto',
];

export const DEFAULT_BENCHMARK_PROMPTS: readonly string[] = [
  'smiling face with heart-eyes, noto',
  'green apple, twemoji',
  'fox, noto',
  'hot beverage, twemoji',
  'rainbow, noto',
  'purple heart, twemoji',
  'bicycle, noto',
  'face with tears of joy, twemoji',
  // 24 more training captions drawn at random (seed 2026) from emoji named in neither list nor in
  // docs/bench/prompts-dev.txt, so that one benchmark run averages over 32 images.
  'snowflake, twemoji',
  'low battery, twemoji',
  'flag, Nicaragua, twemoji',
  'flag, Gambia, twemoji',
  'flag, Germany, noto',
  'triangular ruler, noto',
  'tulip, twemoji',
  'double exclamation mark, noto',
  'astonished face, noto',
  'flag, Burundi, noto',
  'hiking boot, twemoji',
  'fingerprint, noto',
  'man in steamy room, noto',
  'man in motorized wheelchair, facing right, twemoji',
  'badminton, noto',
  'polar bear, twemoji',
  'grinning face with big eyes, noto',
  'mountain cableway, twemoji',
  'up-down arrow, twemoji',
  'flag, Grenada, noto',
  'headphone, noto',
  'cut of meat, noto',
  'atom symbol, twemoji',
  'mending heart, noto',
];

/** Case, surrounding space and repeated inner spaces do not make two prompts different. */
function normalise(prompt: string): string {
  return prompt.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * @throws StudioError INVALID_REQUEST naming the prompts both sets share
 */
export function checkDisjoint(calibration: readonly string[], benchmark: readonly string[]): void {
  const calib = new Set(calibration.map(normalise));
  const shared = benchmark.filter((p) => calib.has(normalise(p)));
  if (shared.length > 0) {
    const shown = shared.slice(0, 3).map((p) => JSON.stringify(p)).join(', ');
    throw new StudioError(
      'INVALID_REQUEST',
      `The calibration and benchmark prompts must be disjoint; ${shared.length} appear in both (${shown}${shared.length > 3 ? ', …' : ''}).`,
      'prompts',
    );
  }
}
