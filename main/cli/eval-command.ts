/**
 * `studio eval [--model ID|DIR] [--prompts-file F] [--n N] [--steps S] [--cfg G] [--seed S]
 *   [--provider P] [--scheduler S] [--eval-dir DIR] --json FILE`
 *
 * Generates images for the evaluation captions (or the prompts in F) and measures them
 * with the evaluation classifier (main/eval/run-eval.ts). The full report goes to FILE as
 * JSON, a summary to stdout. The images are not saved and not recorded in history.
 * Ctrl-C cancels between steps; a second Ctrl-C exits at once.
 *
 * A video model is evaluated on the held-out motion prompts of <eval-dir>/motion instead
 * (main/eval/run-video-eval.ts), with [--frames F] [--image-model ID|none] (default emoji, the
 * image model its frames are compared with) and [--cache METHOD [--cache-threshold X]].
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES, type RecommendedSettings } from '../../contract/api';
import { GENERIC_RECOMMENDED } from '../../contract/recommended-settings';
import { StudioError } from '../../contract/errors';
import { runEval, type EvalOptions } from '../eval/run-eval';
import { formatEvalSummary } from '../eval/eval-report';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { findAppRoot } from '../models/app-root';
import type { CliContext } from './cli-context';
import { runVideoEval, type VideoEvalOptions } from '../eval/run-video-eval';
import { formatVideoEvalSummary } from '../eval/video-eval-report';
import { parseCacheOptions } from './cache-options';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from './cli-options';

/** Defaults of the bundled models' evaluation (their recommended steps and CFG); a run takes the chosen model's own. */
export const EVAL_DEFAULTS = { steps: 50, cfg: 4, seed: 0 } as const;

/** Upper bound of --n: far above any eval set, low enough to catch a typo. */
const N_MAX = 100_000;

const OPTIONS = {
  model: { type: 'string' },
  'prompts-file': { type: 'string' },
  n: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  scheduler: { type: 'string' },
  'eval-dir': { type: 'string' },
  json: { type: 'string' },
  frames: { type: 'string' },
  'image-model': { type: 'string' },
  cache: { type: 'string' },
  'cache-threshold': { type: 'string' },
} as const;

/** The image model a video model's frames are compared with, unless --image-model says otherwise. */
export const DEFAULT_IMAGE_MODEL = 'emoji';

export interface ParsedEval {
  options: EvalOptions;
  /** Where the JSON report is written. */
  json: string;
  /** The video evaluation's own flags (used when the model is a video model). */
  video: Pick<VideoEvalOptions, 'frames' | 'imageModel' | 'cache'>;
}

/** <appRoot>/native-models/eval: where `npm run models:train` puts the evaluation set. */
export function defaultEvalDir(): string {
  return path.join(findAppRoot(), 'native-models', 'eval');
}

/**
 * Parses and checks eval's options. The model defaults to the registry's default; steps, CFG and
 * scheduler to that model's recommended settings, as in the app and `studio generate`
 * (`recommendedFor`; without it, the generic ones, for tests of the parsing alone).
 */
export function parseEvalArgs(
  args: string[],
  defaultModel: () => string,
  recommendedFor: (model: string) => RecommendedSettings = () => GENERIC_RECOMMENDED,
): ParsedEval {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  const model = values.model === undefined ? defaultModel() : requiredText('model', values.model);
  const recommended = recommendedFor(model);
  const options: EvalOptions = {
    model,
    provider: choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto'),
    scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, recommended.scheduler),
    evalDir: values['eval-dir'] === undefined ? defaultEvalDir() : path.resolve(requiredText('eval-dir', values['eval-dir'])),
    steps: integerOption('steps', values.steps, LIMITS.stepsMin, LIMITS.stepsMax, recommended.steps),
    cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, recommended.cfg),
    seedBase: integerOption('seed', values.seed, 0, LIMITS.seedMax, EVAL_DEFAULTS.seed),
  };
  const n = integerOption('n', values.n, 1, N_MAX);
  if (n !== undefined) options.n = n;
  if (values['prompts-file'] !== undefined) options.promptsFile = path.resolve(requiredText('prompts-file', values['prompts-file']));
  const video: ParsedEval['video'] = {};
  const frames = integerOption('frames', values.frames, LIMITS.framesMin, LIMITS.framesMax);
  if (frames !== undefined) video.frames = frames;
  const imageModel = values['image-model'] === undefined ? DEFAULT_IMAGE_MODEL : requiredText('image-model', values['image-model']);
  if (imageModel !== 'none') video.imageModel = imageModel;
  const cache = parseCacheOptions(values.cache, values['cache-threshold']);
  if (cache !== undefined) video.cache = cache;
  return { options, json: path.resolve(requiredText('json', values.json)), video };
}

/** Writes the report, refusing a folder or a missing parent folder with a clear message. */
function writeReport(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StudioError('INVALID_REQUEST', `Cannot write the report to --json ${file}: ${reason}`, 'json');
  }
}

/** Runs `studio eval`; resolves to the process exit code. */
export async function evalCommand(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseEvalArgs(args, () => ctx.registry.defaultModel().id, (model) => ctx.registry.resolve(model).recommended);
  // Fail on an unwritable report path now, not after the whole run.
  if (fs.existsSync(parsed.json) && fs.statSync(parsed.json).isDirectory()) {
    throw new StudioError('INVALID_REQUEST', `--json ${parsed.json} is a folder; give a file name.`, 'json');
  }
  if (!fs.existsSync(path.dirname(parsed.json))) {
    throw new StudioError('INVALID_REQUEST', `--json ${parsed.json}: the folder ${path.dirname(parsed.json)} does not exist.`, 'json');
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nstudio: cancelling the evaluation after the current step (Ctrl-C again to quit now)\n');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY;
  const started = performance.now();
  const video = ctx.registry.resolve(parsed.options.model).kind === 'video';
  const hooks = {
    signal: controller.signal,
    onImage: (done: number, total: number) => {
      if (tty) process.stderr.write(`\reval: ${done}/${total} ${video ? 'clips' : 'images'}, ${((performance.now() - started) / 1000).toFixed(0)}s`);
    },
  };
  try {
    if (video) {
      if (parsed.options.promptsFile !== undefined) throw new UsageError('--prompts-file is for image models; a video model is evaluated on the held-out motion prompts of <eval-dir>/motion');
      const report = await runVideoEval({ ...parsed.options, ...parsed.video }, { registry: ctx.registry, db: () => ctx.db() }, hooks);
      if (tty) process.stderr.write('\n');
      writeReport(parsed.json, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`${formatVideoEvalSummary(report, parsed.json)}\n`);
      return 0;
    }
    if (parsed.video.frames !== undefined || parsed.video.cache !== undefined) throw new UsageError('--frames and --cache apply to a video model\'s evaluation');
    const report = await runEval(parsed.options, { registry: ctx.registry }, hooks);
    if (tty) process.stderr.write('\n');
    writeReport(parsed.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${formatEvalSummary(report, parsed.json)}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await defaultPipelineCache.clear();
  }
}
