/**
 * The settings a model is meant to run with: steps, CFG, scheduler and a few prompts it draws
 * well. A model declares them under `recommended` in its folder's studio.json, or, for a bundled
 * model whose folder must stay byte-identical, in the `recommended-settings.json` sidecar beside
 * it (main/models/recommended-settings.ts). The UI form, `studio generate`, `studio eval` and
 * `studio profile` all start from them, so one model gets one set of defaults everywhere.
 *
 * Pure TypeScript (zod only), shared by the back end that reads the files and the renderer.
 */
import { z } from 'zod';
import { SCHEDULER_NAMES, type SchedulerName } from '../core/sampler/scheduler-names';
import { integerIn, numberIn, oneOf, text } from './field-schema';

/** Same bounds as a GenerateRequest's fields (contract/api.ts LIMITS; repeated to keep this file free of cycles). */
const STEPS = { min: 1, max: 1000 } as const;
const CFG = { min: 0, max: 30 } as const;
const PROMPT_CHARS_MAX = 2000;
/** Example prompts shown under the prompt box: a short row, not a prompt library. */
export const EXAMPLE_PROMPTS_MAX = 12;

/** What a model's file may declare; unknown keys are refused so a typo (`stpes`) is not silently ignored. */
export const recommendedSettingsSchema = z.strictObject({
  steps: integerIn(STEPS.min, STEPS.max),
  cfg: numberIn(CFG.min, CFG.max),
  scheduler: oneOf(SCHEDULER_NAMES).default('default'),
  examplePrompts: z.array(text(PROMPT_CHARS_MAX, { nonEmpty: true })).max(EXAMPLE_PROMPTS_MAX).default([]),
});

export interface RecommendedSettings {
  steps: number;
  cfg: number;
  /** An override name, or 'default' for the model's own scheduler_config.json. */
  scheduler: SchedulerName;
  /** Prompts in the phrasing the model was trained on; the first is the prompt box's placeholder. */
  examplePrompts: string[];
  /** `model`: declared for this model; `generic`: the studio's fallback for models that declare none. */
  source: 'model' | 'generic';
}

/** For a model that declares nothing: middle-of-the-road values that suit most diffusers pipelines. */
export const GENERIC_RECOMMENDED: RecommendedSettings = {
  steps: 30,
  cfg: 5,
  scheduler: 'default',
  examplePrompts: [],
  source: 'generic',
};
