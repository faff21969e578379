/**
 * `studio generate --from FILE.png [--seed S] …` (generate-batch.ts), or
 * `studio generate --prompt P [--batch N] [--negative N] [--steps N] [--cfg G] [--seed S] [--model ID|DIR]
 *   [--provider P] [--scheduler S] [--eta E] [--variant NAME] [--cache METHOD [--cache-threshold X]]
 *   [--precision fp32|w8a8 [--compensation none|ptqd|tcec [--compensation-strength λ]]]
 *   [--hybrid LARGE:K,SMALL …] [--frames F] [--fps R] [--walk-to-seed N] [--walk-to-prompt TEXT] [--out FILE] [--json]`
 *
 * Runs the same runGeneration as the app, so the image lands in STUDIO_HOME/outputs and in
 * history; --out also writes a copy where asked. With --cache the run uses step caching
 * (cache-options.ts; methods that need a calibration profile use the newest matching one stored
 * by `studio profile`) and the summary says how many model calls it made. Ctrl-C cancels
 * between steps (nothing is saved); a second Ctrl-C exits at once.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS, PROVIDER_CHOICES, SCHEDULER_NAMES, type GenerateRequest, type GenerationRecord, type RecommendedSettings } from '../../contract/api';
import { GENERIC_RECOMMENDED } from '../../contract/recommended-settings';
import { StudioError } from '../../contract/errors';
import { validateGenerateRequest } from '../../contract/validate';
import { copyFileAtomic } from '../generation/output-file';
import { FORCE_OPTION, outTarget, refuseOverwrite } from './out-file';
import { runGeneration } from '../generation/run-generation';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { withAutoCache } from './auto-cache';
import { parseAutoCacheCalls, parseCacheOptions } from './cache-options';
import { choiceOption, integerOption, numberOption, requiredText, UsageError } from './cli-options';
import { HYBRID_OPTIONS, parseHybridOptions } from './hybrid-options';
import { parseVideoOptions, VIDEO_OPTIONS } from './video-options';
import { parsePrecisionOptions, PRECISION_OPTIONS } from '../quant/precision-options';
import type { CliContext } from './cli-context';
import { onInterrupt } from './interrupt';
import { createProgressBar } from './progress-bar';
import { batchRequests } from '../../contract/batch';
import { parseFromArgs, splitBatchArgs } from './generate-batch';

/** For models that declare nothing: the same generic settings as the app (contract/recommended-settings.ts). */
export const GENERATE_DEFAULTS = { steps: GENERIC_RECOMMENDED.steps, cfg: GENERIC_RECOMMENDED.cfg } as const;

const OPTIONS = {
  prompt: { type: 'string' },
  negative: { type: 'string' },
  steps: { type: 'string' },
  cfg: { type: 'string' },
  seed: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  scheduler: { type: 'string' },
  cache: { type: 'string' },
  'cache-threshold': { type: 'string' },
  'cache-calls': { type: 'string' },
  eta: { type: 'string' },
  variant: { type: 'string' },
  ...PRECISION_OPTIONS,
  ...HYBRID_OPTIONS,
  ...VIDEO_OPTIONS,
  out: { type: 'string' },
  ...FORCE_OPTION,
  json: { type: 'boolean' },
} as const;

export interface ParsedGenerate {
  request: GenerateRequest;
  /** True when no --seed was given and one was drawn at random. */
  randomSeed: boolean;
  out?: string;
  /** --force: --out may replace an existing file. */
  force?: boolean;
  json: boolean;
  /** --cache auto --cache-calls N: the budget; the request's cache is chosen before the run (auto-cache.ts). */
  autoCacheCalls?: number;
}

/**
 * Parses and checks generate's options. The model defaults to the registry's default; steps,
 * CFG and scheduler default to that model's recommended settings (`recommendedFor`; without it,
 * the generic ones, for tests of the parsing alone).
 */
export function parseGenerateArgs(
  args: string[],
  defaultModel: () => string,
  recommendedFor: (model: string) => RecommendedSettings = () => GENERIC_RECOMMENDED,
): ParsedGenerate {
  // node's parseArgs reads `--seed -1` as two options; A1111's "random" spelling is worth keeping.
  const joined = args.map((a, i) => (a === '--seed' && args[i + 1] === '-1' ? '--seed=-1' : a)).filter((a, i) => !(a === '-1' && args[i - 1] === '--seed'));
  const { values } = parseArgs({ args: joined, options: OPTIONS, allowPositionals: false, strict: true });
  // --seed -1 asks for a random seed, as A1111 does; so does leaving it out.
  const seedGiven = values.seed !== undefined && values.seed.trim() !== '-1';
  const hybrid = parseHybridOptions(values);
  if (hybrid !== undefined && values.model !== undefined && values.model !== hybrid.large) {
    throw new UsageError(`--model ${values.model} and --hybrid ${hybrid.large}:… name different large models; give one`);
  }
  // The model first: the numbers left out come from its recommended settings.
  const model = hybrid?.large ?? values.model ?? defaultModel();
  const recommended = recommendedFor(model);
  const request: GenerateRequest = {
    prompt: requiredText('prompt', values.prompt),
    negativePrompt: values.negative ?? '',
    steps: integerOption('steps', values.steps, LIMITS.stepsMin, LIMITS.stepsMax, recommended.steps),
    cfg: numberOption('cfg', values.cfg, LIMITS.cfgMin, LIMITS.cfgMax, recommended.cfg),
    // The seed actually used goes into the request, so the recipe records it.
    seed: seedGiven ? integerOption('seed', values.seed, 0, LIMITS.seedMax, 0) : crypto.randomInt(0, LIMITS.seedMax + 1),
    model,
    provider: choiceOption('provider', values.provider, PROVIDER_CHOICES, 'auto'),
    scheduler: choiceOption('scheduler', values.scheduler, SCHEDULER_NAMES, recommended.scheduler),
  };
  const autoCacheCalls = parseAutoCacheCalls(values.cache, values['cache-threshold'], values['cache-calls'], request.steps);
  const cache = autoCacheCalls === undefined ? parseCacheOptions(values.cache, values['cache-threshold']) : undefined;
  if (cache !== undefined) request.cache = cache;
  if (values.eta !== undefined) request.eta = numberOption('eta', values.eta, 0, 1, 0);
  if (values.variant !== undefined) request.denoiserVariant = values.variant;
  Object.assign(request, parsePrecisionOptions(values, request.provider));
  if (hybrid !== undefined) request.hybrid = hybrid.hybrid;
  Object.assign(request, parseVideoOptions(values));
  // The same check as the app's: argv is a boundary too, and runGeneration trusts its request.
  const parsed: ParsedGenerate = { request: validateGenerateRequest(request), randomSeed: !seedGiven, json: values.json ?? false };
  if (values.out !== undefined) parsed.out = requiredText('out', values.out);
  if (values.force === true) parsed.force = true;
  if (autoCacheCalls !== undefined) parsed.autoCacheCalls = autoCacheCalls;
  return parsed;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Human summary of a finished generation (stdout, when --json is not given). */
export function formatSummary(record: GenerationRecord, copy: string | undefined, randomSeed: boolean): string {
  const r = record.recipe;
  const t = record.timings;
  // A walk samples once per frame: its denoise time covers frames × steps.
  const sampledSteps = r.steps * (r.video?.walk ? r.video.frames : 1);
  const perStep = sampledSteps > 0 ? t.denoiseMs / sampledSteps : 0;
  const lines = [
    `image:    ${record.outputPath}`,
    ...(copy ? [`copy:     ${copy}`] : []),
    `seed:     ${r.seed}${randomSeed ? ' (random)' : ''}`,
    `recipe:   ${r.steps} steps, cfg ${r.cfg}, ${r.scheduler}, model ${r.modelId} (${r.modelHash.slice(0, 10)}), ${r.width}x${r.height}`,
    `provider: ${r.provider}${r.providerRequested !== r.provider ? ` (asked: ${r.providerRequested})` : ''}`,
    `time:     ${seconds(t.totalMs)} (load ${seconds(t.loadMs)}, denoise ${seconds(t.denoiseMs)} = ${perStep.toFixed(1)} ms/step, decode ${seconds(t.decodeMs)})`,
    ...(record.cacheStats ? [`cache:    ${formatCacheLine(record)}`] : []),
    ...(record.hybridStats && r.hybrid ? [`hybrid:   ${formatHybridLine(record)}`] : []),
    ...(r.compensation ? [`quant:    ${r.components?.find((c) => c.role === 'denoiser')?.variant ?? '?'} + ${r.compensation.method} (λ ${r.compensation.strength}, tables #${r.compensation.calibrationId})`] : []),
    ...(record.video ? [`clip:     ${formatClipLine(record)}`] : []),
    `history:  #${record.id}`,
  ];
  return lines.join('\n');
}

/** "16 frames at 10 fps, an animated PNG; walk to seed 7, "red heart"". */
export function formatClipLine(record: GenerationRecord): string {
  const walk = record.recipe.video?.walk;
  return `${record.video?.frames ?? '?'} frames at ${record.video?.fps ?? '?'} fps, an animated PNG${walk ? `; walk to seed ${walk.toSeed}, ${JSON.stringify(walk.toPrompt)}` : ''}`;
}

/** "fora: model calls 21/50 (2.38× fewer), model 1203.5 ms of denoise 1310.2 ms". */
export function formatCacheLine(record: GenerationRecord): string {
  const stats = record.cacheStats;
  if (!stats) return 'none';
  const ratio = stats.modelCalls > 0 ? stats.steps / stats.modelCalls : Infinity;
  const profile = stats.profileId === null ? '' : `, profile #${stats.profileId}`;
  const t = record.timings;
  const forecast = stats.forecastSteps === undefined ? '' : `, ${stats.forecastSteps.filter(Boolean).length} forecast${stats.fallbackSteps?.length ? `, ${stats.fallbackSteps.length} computed after a rejected forecast` : ''}`;
  return `${record.recipe.cache?.method ?? '?'}: model calls ${stats.modelCalls}/${stats.steps} (${ratio.toFixed(2)}× fewer)${forecast}${profile}, model ${t.modelMs.toFixed(1)} ms of denoise ${t.denoiseMs.toFixed(1)} ms`;
}

/** "emoji 20 calls (73.6% of compute, by MACs), emoji-small 30 calls; switched at step 20". */
export function formatHybridLine(record: GenerationRecord): string {
  const stats = record.hybridStats;
  const h = record.recipe.hybrid;
  if (!stats || !h) return 'none';
  const id = (model: 'large' | 'small'): string => h.segments.find((s) => s.model === model)?.modelId ?? model;
  const remote = stats.remote ? `; server ${stats.remote.calls} calls, ${(stats.remote.bytesSent / 1024).toFixed(0)} KiB sent, median ${stats.remote.latencyMedianMs.toFixed(2)} ms` : '';
  const fell = h.fellBack ? `; server failed at step ${h.fellBack.atStep}, finished locally` : '';
  return `${id('large')} ${stats.large.calls} calls (${(100 * stats.largeShare).toFixed(1)}% of compute, by ${stats.shareBasis === 'macs' ? 'MACs' : 'model time'}), ${id('small')} ${stats.small.calls} calls, ${h.order}${remote}${fell}`;
}

/** Runs `studio generate`; resolves to the process exit code. */
export async function generateCommand(args: string[], ctx: CliContext): Promise<number> {
  const { batch, from, rest } = splitBatchArgs(args);
  let parsed: ParsedGenerate;
  if (from !== undefined) {
    const imported = parseFromArgs(from, rest, ctx.registry, () => crypto.randomInt(0, LIMITS.seedMax + 1));
    for (const note of imported.notes) process.stderr.write(`studio: ${from}: ${note}\n`);
    parsed = { request: imported.request, randomSeed: false, json: imported.json, force: imported.force, ...(imported.out !== undefined ? { out: imported.out } : {}) };
  } else parsed = parseGenerateArgs(rest, () => ctx.registry.defaultModel().id, (model) => ctx.registry.resolve(model).recommended);
  if (parsed.autoCacheCalls !== undefined) parsed.request = await withAutoCache(parsed.request, parsed.autoCacheCalls, ctx);
  if (batch > 1 && parsed.out !== undefined && !(fs.existsSync(parsed.out) && fs.statSync(parsed.out).isDirectory())) {
    throw new UsageError(`with --batch ${batch}, --out must be an existing folder (each image keeps its generated name)`);
  }
  // Before the run, so a refusal costs nothing; checked again when the copy is written.
  if (parsed.out !== undefined) refuseOverwrite(path.resolve(parsed.out), parsed.force ?? false);
  const records: GenerationRecord[] = [];
  try {
    // One loaded pipeline serves the whole batch.
    for (const request of batchRequests(parsed.request, batch)) records.push(await generateOne({ ...parsed, request }, ctx));
  } finally {
    await defaultPipelineCache.clear();
  }
  if (parsed.json) process.stdout.write(`${JSON.stringify(batch > 1 ? records : records[0], null, 2)}\n`);
  return 0;
}

/** One image of the command (or of its batch): run, copy to --out, print the summary. */
async function generateOne(parsed: ParsedGenerate, ctx: CliContext): Promise<GenerationRecord> {
  const interrupt = onInterrupt();
  const bar = createProgressBar(process.stderr);
  try {
    const record = await runGeneration(parsed.request, { registry: ctx.registry, db: ctx.db(), paths: ctx.paths, appVersion: ctx.appVersion }, {
      signal: interrupt.signal,
      onProgress: (p) => bar.update(p.stage, p.step, p.totalSteps),
    });
    bar.done();
    let copy: string | undefined;
    if (parsed.out !== undefined) {
      copy = outTarget(parsed.out, path.basename(record.outputPath));
      if (!parsed.force && fs.existsSync(copy)) {
        throw new StudioError('INVALID_REQUEST', `The image was saved as ${record.outputPath} (history #${record.id}), but --out ${copy} appeared meanwhile and was left as it is; pass --force to replace it.`, 'out');
      }
      try {
        copyFileAtomic(record.outputPath, copy);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new StudioError('INTERNAL', `The image was saved as ${record.outputPath} (history #${record.id}), but --out ${copy} could not be written: ${reason}`, 'out');
      }
    }
    if (!parsed.json) process.stdout.write(`${formatSummary(record, copy, parsed.randomSeed)}\n`);
    return record;
  } finally {
    bar.done();
    interrupt.dispose();
  }
}
