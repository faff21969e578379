/**
 * What a clip generation (a video model's run, or a latent walk) hands back: RGB frames plus
 * what a still image's result carries for the recipe and the history row.
 */
import type { CacheConfig, CacheRunStats } from '../../contract/cache';
import type { Txt2ImgTimings } from './txt2img';

export interface ClipResult {
  /** Interleaved RGB per frame, 8 bits per channel, width·height·3 bytes each, in play order. */
  frames: Uint8Array[];
  width: number;
  height: number;
  /** Summed over the clip (a walk samples once per frame); stepMs lists every sampling's steps in order. */
  timings: Txt2ImgTimings;
  /** diffusers class name that ran and its effective config. */
  scheduler: { className: string; config: Record<string, unknown> };
  /** Id and version of the noise generator (Recipe.noise). */
  noise: string;
  /** What the cache did, over every sampling of the clip (profileId: null, the caller knows the profile); absent without a cache. */
  cacheStats?: CacheRunStats;
  /** The validated cache config that ran; absent without a cache. */
  cacheConfig?: CacheConfig;
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
