/**
 * Whether a clip keeps showing the same thing: each frame's top-1 class from the image
 * classifier, the clip's majority class (most frequent; of tied classes, the one that reached that count first), and
 * the share of frames equal to it (1 = every frame the same class; 1/F at worst).
 */

export interface IdentityConsistency {
  /** The most frequent top-1 class. */
  majority: number;
  /** Frames whose top-1 is `majority`, as a fraction of all frames. */
  share: number;
}

/** @throws RangeError on an empty clip */
export function identityConsistency(top1PerFrame: readonly number[]): IdentityConsistency {
  if (top1PerFrame.length === 0) throw new RangeError('identityConsistency: a clip needs at least one frame');
  const counts = new Map<number, number>();
  let majority = top1PerFrame[0] as number;
  for (const c of top1PerFrame) {
    const n = (counts.get(c) ?? 0) + 1;
    counts.set(c, n);
    if (n > (counts.get(majority) ?? 0)) majority = c;
  }
  return { majority, share: (counts.get(majority) as number) / top1PerFrame.length };
}
