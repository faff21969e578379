/**
 * Which held-out motion prompts a video evaluation generates, and their seeds. All of them by
 * default; with n, a spread: the prompts are grouped by (motion, set), and groups are visited in
 * turn — motion by motion, held-out emoji before held-out pair within a motion — taking each
 * group's next prompt in file order, until n are taken. So n = 2 covers both sets, n = 2·M
 * every motion in both sets, and larger n the same balance again. Item i uses seed base + i.
 */
import { LIMITS } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { MOTION_SETS, type MotionPrompt } from './motion-assets';

export interface MotionItem extends MotionPrompt {
  seed: number;
}

/**
 * @throws StudioError INVALID_REQUEST when n is not in 1..prompts or the seeds leave 0..seedMax
 */
export function motionItems(prompts: readonly MotionPrompt[], motions: number, n: number | undefined, seedBase: number): MotionItem[] {
  const count = n ?? prompts.length;
  if (!Number.isInteger(count) || count < 1) throw new StudioError('INVALID_REQUEST', `--n must be a positive integer (got ${count}).`, 'n');
  if (count > prompts.length) throw new StudioError('INVALID_REQUEST', `--n ${count} is more than the ${prompts.length} held-out motion prompts.`, 'n');
  if (!Number.isInteger(seedBase) || seedBase < 0 || seedBase + count - 1 > LIMITS.seedMax) {
    throw new StudioError('INVALID_REQUEST', `Seeds ${seedBase}..${seedBase + count - 1} do not fit 0..${LIMITS.seedMax}; use a smaller --seed.`, 'seed');
  }
  const groups: MotionPrompt[][] = [];
  for (let m = 0; m < motions; m++) {
    for (const set of MOTION_SETS) groups.push(prompts.filter((p) => p.motion === m && p.set === set));
  }
  const picked: MotionPrompt[] = [];
  for (let round = 0; picked.length < count; round++) {
    for (const g of groups) {
      const p = g[round];
      if (p !== undefined && picked.length < count) picked.push(p);
    }
  }
  return picked.map((p, i) => ({ ...p, seed: seedBase + i }));
}
