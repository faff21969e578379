/**
 * A video evaluation's generation loop: one txt2vid clip per item on an already loaded
 * pipeline, timed from the first token to the decoded frames (what `secondsPerClip` reports).
 * Clips stay in memory and are never written to outputs/ or recorded in history.
 */
import type { SchedulerName } from '../../contract/api';
import type { Txt2ImgCache } from '../pipeline/cache-setup';
import { throwIfCancelled } from '../pipeline/cancellation';
import { txt2vid } from '../pipeline/txt2vid';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { EvalGenerationHooks } from './eval-generate';

export interface ClipSettings {
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  frames: number;
  cache?: Txt2ImgCache;
}

export interface GeneratedClips {
  /** Per clip, its frames (width·height·3 RGB bytes each). */
  clips: Uint8Array[][];
  width: number;
  height: number;
  seconds: number[];
  /** Model calls per clip (the steps without a cache). */
  modelCalls: number[];
  scheduler: string;
}

/** @throws StudioError CANCELLED | PROMPT_TOO_LONG | INVALID_REQUEST (cache) | MODEL_* | INTERNAL */
export async function generateEvalClips(
  pipeline: LoadedPipeline,
  items: readonly { prompt: string; seed: number }[],
  settings: ClipSettings,
  hooks: EvalGenerationHooks = {},
): Promise<GeneratedClips> {
  const out: GeneratedClips = { clips: [], width: 0, height: 0, seconds: [], modelCalls: [], scheduler: '' };
  for (const item of items) {
    throwIfCancelled(hooks.signal);
    const t0 = performance.now();
    const clip = await txt2vid(
      pipeline,
      { prompt: item.prompt, negativePrompt: '', steps: settings.steps, cfg: settings.cfg, seed: item.seed, scheduler: settings.scheduler, frames: settings.frames, ...(settings.cache ? { cache: settings.cache } : {}) },
      { ...(hooks.signal ? { signal: hooks.signal } : {}) },
    );
    out.seconds.push((performance.now() - t0) / 1000);
    out.clips.push(clip.frames);
    out.modelCalls.push(clip.cacheStats?.modelCalls ?? settings.steps);
    out.width = clip.width;
    out.height = clip.height;
    out.scheduler = clip.scheduler.className;
    hooks.onImage?.(out.clips.length, items.length);
  }
  return out;
}
