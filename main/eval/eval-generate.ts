/**
 * The evaluation's generation loop: one txt2img per item on an already loaded pipeline,
 * timed from the first token to the decoded pixels (no model loading, no classifier, no
 * file writing), which is what `secondsPerImage` reports.
 *
 * Images stay in memory (64×64×3 bytes each for the emoji model) and are never written
 * to outputs/ or recorded in history: an evaluation measures the model, it does not make
 * pictures for the user.
 */
import type { SchedulerName } from '../../contract/api';
import { throwIfCancelled, txt2img } from '../pipeline/txt2img';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { EvalItem } from './eval-items';

export interface GenerationSettings {
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
}

export interface GeneratedImages {
  /** Each width·height·3 RGB bytes, in item order. */
  rgb: Uint8Array[];
  width: number;
  height: number;
  /** Wall-clock seconds of each txt2img call. */
  seconds: number[];
  /** Scheduler class that ran (the same for every item). */
  scheduler: string;
}

export interface EvalGenerationHooks {
  signal?: AbortSignal;
  /** Called after each image with the count done so far. */
  onImage?: (done: number, total: number) => void;
}

/**
 * Generates every item's image with an empty negative prompt.
 * @throws StudioError CANCELLED | PROMPT_TOO_LONG | MODEL_* | INTERNAL (from txt2img)
 */
export async function generateEvalImages(
  pipeline: LoadedPipeline,
  items: readonly EvalItem[],
  settings: GenerationSettings,
  hooks: EvalGenerationHooks = {},
): Promise<GeneratedImages> {
  const out: GeneratedImages = { rgb: [], width: 0, height: 0, seconds: [], scheduler: '' };
  for (const item of items) {
    throwIfCancelled(hooks.signal);
    const t0 = performance.now();
    const image = await txt2img(
      pipeline,
      { prompt: item.prompt, negativePrompt: '', steps: settings.steps, cfg: settings.cfg, seed: item.seed, scheduler: settings.scheduler },
      { signal: hooks.signal },
    );
    out.seconds.push((performance.now() - t0) / 1000);
    out.rgb.push(image.rgb);
    out.width = image.width;
    out.height = image.height;
    out.scheduler = image.scheduler.className;
    hooks.onImage?.(out.rgb.length, items.length);
  }
  return out;
}
