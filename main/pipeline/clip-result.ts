/**
 * What a clip generation (a video model's run, or a latent walk) hands back: RGB frames plus
 * what a still image's result carries for the recipe and the history row.
 */
import type { CacheRunStats } from '../../contract/cache';
import type { Txt2ImgResult } from './txt2img';

/**
 * A still's result with frames instead of one image. timings are summed over the clip (a walk
 * samples once per frame; stepMs lists every sampling's steps in order); cacheStats covers every
 * sampling of the clip.
 */
export interface ClipResult extends Pick<Txt2ImgResult, 'width' | 'height' | 'timings' | 'scheduler' | 'noise' | 'cacheStats' | 'cacheConfig'> {
  /** Interleaved RGB per frame, 8 bits per channel, width·height·3 bytes each, in play order. */
  frames: Uint8Array[];
}

/** Cache stats of several samplings as one run: calls and steps summed, per-step flags concatenated. */
export function concatCacheStats(runs: readonly CacheRunStats[]): CacheRunStats | undefined {
  const [first] = runs;
  if (first === undefined) return undefined;
  return {
    modelCalls: runs.reduce((n, r) => n + r.modelCalls, 0),
    steps: runs.reduce((n, r) => n + r.steps, 0),
    computeSteps: runs.flatMap((r) => r.computeSteps),
    profileId: first.profileId,
  };
}
