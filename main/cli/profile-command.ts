/**
 * `studio profile [--model ID] [--steps N] [--cfg G] [--scheduler S] [--prompts-file F] [--seed S]
 *   [--provider P] [--frames F] [--json]`
 *
 * Records one calibration profile (main/cache/run-profiling.ts) and stores it in STUDIO_HOME's
 * database, where `studio generate --cache …` and the app find it. Steps, CFG and scheduler
 * default to the model's recommended settings (those `studio generate` runs with), the prompts
 * to the built-in calibration prompts. Prompt i runs with seed S + i. Ctrl-C stops between
 * steps and stores nothing. A video model's profile is for clips of F frames (default: its own
 * clip length) and is used only for clips of that length.
 */
import { parseArgs } from 'node:util';
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES, type RecommendedSettings } from '../../contract/api';
import { DEFAULT_CALIBRATION_PROMPTS } from '../../contract/calibration-prompts';
import { GENERIC_RECOMMENDED } from '../../contract/recommended-settings';
import { CACHE_PROFILE_LIMITS, type CacheProfileSummary, type ProfileStartRequest } from '../../contract/cache';
import { validateProfileStartRequest } from '../../contract/validate';
import { runProfiling } from '../cache/run-profiling';
import { readPromptsFile } from '../eval/prompts-file';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from './cli-options';
import type { CliContext } from './cli-context';
import { onInterrupt } from './interrupt';
import { createProgressBar } from './progress-bar';

export const PROFILE_DEFAULTS = { seed: 1000 } as const;

const OPTIONS = {
  model: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  scheduler: { type: 'string' },
  'prompts-file': { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  frames: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/**
 * Parses and checks profile's options; reads the prompts file (INVALID_REQUEST when it is bad).
 * Left-out settings come from `recommendedFor(model)` (generic ones without it, for tests of the parsing alone).
 */
export function parseProfileArgs(
  args: string[],
  defaultModel: () => string,
  recommendedFor: (model: string) => RecommendedSettings = () => GENERIC_RECOMMENDED,
): { request: ProfileStartRequest; json: boolean } {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  const model = values.model ?? defaultModel();
  const recommended = recommendedFor(model);
  // A profile needs at least two steps to have a step to skip.
  const steps = integerOption('steps', values.steps, 2, LIMITS.stepsMax, Math.max(2, recommended.steps));
  const prompts =
    values['prompts-file'] === undefined
      ? [...DEFAULT_CALIBRATION_PROMPTS]
      : readPromptsFile(requiredText('prompts-file', values['prompts-file'])).map((p) => p.text);
  if (prompts.length > CACHE_PROFILE_LIMITS.promptsMax) {
    throw new UsageError(`--prompts-file has ${prompts.length} prompts; a profile takes at most ${CACHE_PROFILE_LIMITS.promptsMax} (about 20 is plenty)`);
  }
  const request: ProfileStartRequest = {
    model,
    steps,
    cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, recommended.cfg),
    scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, recommended.scheduler),
    prompts,
    provider: choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto'),
    seed: integerOption('seed', values.seed, 0, LIMITS.seedMax - prompts.length, PROFILE_DEFAULTS.seed),
  };
  const frames = integerOption('frames', values.frames, LIMITS.framesMin, LIMITS.framesMax);
  if (frames !== undefined) request.frames = frames;
  // The same check as the app's: argv is a boundary too, and runProfiling trusts its request.
  return { request: validateProfileStartRequest(request), json: values.json ?? false };
}

export function formatProfileSummary(p: CacheProfileSummary): string {
  const model = p.modelId === '' ? `model ${p.modelHash.slice(0, 10)}` : `${p.modelId} (${p.modelHash.slice(0, 10)})`;
  return `#${p.id}  ${p.createdAt}  ${model}  ${p.scheduler}  ${p.steps} steps  shift ${p.shift}  cfg ${p.cfg}  ${p.width}x${p.height}${p.frames === undefined ? '' : `  ${p.frames} frames`}  ${p.prompts} prompts  ${(p.sizeBytes / 1024).toFixed(0)} KiB`;
}

/** Runs `studio profile`; resolves to the exit code. */
export async function profileCommand(args: string[], ctx: CliContext): Promise<number> {
  const { request, json } = parseProfileArgs(args, () => ctx.registry.defaultModel().id, (model) => ctx.registry.resolve(model).recommended);
  const interrupt = onInterrupt();
  const bar = createProgressBar(process.stderr);
  try {
    const summary = await runProfiling(request, { registry: ctx.registry, db: ctx.db() }, {
      signal: interrupt.signal,
      onProgress: (p) => bar.update(p.stage, p.step, p.totalSteps),
    });
    bar.done();
    process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : `stored profile ${formatProfileSummary(summary)}\n`);
    return 0;
  } finally {
    bar.done();
    interrupt.dispose();
    await defaultPipelineCache.clear();
  }
}
