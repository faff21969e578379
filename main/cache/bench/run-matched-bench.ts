/**
 * `studio bench cache --matched-calls C1,C2,…`: every method held to the same number of model
 * calls, against the uncached T-step image and against plain sampling with C steps, with the
 * protocol of run-cache-bench.ts (disjoint calibration prompts, one profile, a warm-up, per
 * prompt the reference then every setting in an order rotated by one, same seed for all).
 *
 * Per setting the row is bench-report.ts's (nfe, speedup of the denoise loop against the
 * uncached T-step run, PSNR/SSIM against its image, overhead) plus the budget it is held to, its
 * family and the mean number of forecasts per image that fell back to the model.
 */
import os from 'node:os';
import type { CacheConfig } from '../../../contract/cache';
import { StudioError } from '../../../contract/errors';
import { nominalSigmas, planSchedule } from '../../../core/cache';
import { medianAndMean } from '../../../core/eval/timing-stats';
import { defaultPipelineCache } from '../../pipeline/default-pipeline-cache';
import { schedulerFor, throwIfCancelled, txt2img } from '../../pipeline/txt2img';
import { pipelineHash } from '../../runtime/model-hash';
import { txt2vid } from '../../pipeline/txt2vid';
import { runKey } from '../profile-lookup';
import { profiledFrames } from '../run-profiling';
import { checkDisjoint } from './bench-prompts';
import { concatBytes, stackedSize } from './clip-sample';
import { benchRuns, type BenchRun, type BenchSample } from './bench-report';
import { type MatchedSetting, type SettingFamily, matchedSettings } from './matched-settings';
import { type CacheBenchContext, type CacheBenchHooks, type CacheBenchOptions, type CacheBenchReport, profileFor } from './run-cache-bench';

export interface MatchedBenchOptions extends CacheBenchOptions {
  /** Model-call budgets C (each < steps). */
  points: number[];
  /** Add the tuning variants (development prompts only). */
  tune: boolean;
  /** Judges the still images beyond PSNR (main/eval/matched-quality.ts, the evaluation classifier); absent: PSNR and SSIM only. */
  judge?: MatchedJudge;
}

/** What a judge says of the images: prompt accuracy and distance to the uncached set. */
export interface MatchedQuality {
  /** Which classifier judged (its file in the evaluation set). */
  classifier: string;
  /** Prompts with a subcategory (the top-5 denominator) and of all prompts. */
  labelled: number;
  prompts: number;
  /** Top-5 of the uncached images: the level a cache keeps at best. */
  uncachedTop5: number | null;
  /** Per setting, in the order given: top-5 and the Fréchet distance to the uncached images. */
  settings: { top5: number | null; frechet: number | null }[];
}

/** Judges every setting's images (RGB8 of `size`, per prompt) against the uncached ones; a string says why it cannot. */
export type MatchedJudge = (size: { width: number; height: number }, prompts: readonly string[], reference: readonly Uint8Array[], settings: readonly (readonly Uint8Array[])[]) => Promise<MatchedQuality | string>;

export interface MatchedRun extends BenchRun {
  point: number;
  family: SettingFamily | 'reference';
  /** Plain sampling steps (the baseline's C; T otherwise). */
  steps: number;
  /** Mean per image of planned forecasts that fell back to the model. */
  fallbacks: number;
  /** Top-5 prompt accuracy of its images (matched-quality.ts); null without a judged subcategory or classifier. */
  top5: number | null;
  /** Fréchet distance of its images' classifier features to the uncached images'; 0 for the reference, null without a classifier. */
  frechet: number | null;
}

export interface MatchedPoint {
  calls: number;
  /** PSNR of plain sampling with `calls` steps. */
  baseline: Pick<MatchedRun, 'nfe' | 'speedup' | 'psnr' | 'ssim' | 'top5' | 'frechet'> | null;
  /** Per method, its default setting at this point. */
  methods: Record<string, Pick<MatchedRun, 'params' | 'nfe' | 'speedup' | 'psnr' | 'ssim' | 'overhead_pct' | 'fallbacks' | 'top5' | 'frechet'>>;
  bestReuse: { method: string; psnr: number } | null;
  bestForecast: { method: string; psnr: number } | null;
}

export interface MatchedBenchReport extends Omit<CacheBenchReport, 'runs' | 'summary'> {
  kind: 'matched-calls';
  points: number[];
  tuned: boolean;
  runs: MatchedRun[];
  matched: MatchedPoint[];
  /** How the images were judged: labelled prompts of all; null when no classifier judged them (a clip, or no evaluation set), with why. */
  quality: { classifier: string; labelled: number; prompts: number } | { classifier: null; reason: string };
}

/** Method label of a row: TaylorSeer's order is part of the name so both orders are compared. */
export function methodLabel(c: CacheConfig): string {
  return c.method === 'taylorseer' ? `taylorseer-o${c.order}` : c.method;
}

/**
 * @throws StudioError INVALID_REQUEST (prompts not disjoint, no budget below the step count) | MODEL_* | PROMPT_TOO_LONG | CANCELLED | STORE
 */
export async function runMatchedBench(opts: MatchedBenchOptions, ctx: CacheBenchContext, hooks: CacheBenchHooks = {}): Promise<MatchedBenchReport> {
  const started = performance.now();
  const { signal } = hooks;
  checkDisjoint(opts.calibrationPrompts, opts.benchmarkPrompts);
  if (opts.benchmarkPrompts.length === 0) throw new StudioError('INVALID_REQUEST', 'The benchmark needs at least one benchmark prompt.', 'prompts');
  if (!opts.points.some((c) => c >= 2 && c < opts.steps)) throw new StudioError('INVALID_REQUEST', `--matched-calls needs a budget from 2 to ${opts.steps - 1} calls.`, 'points');
  const model = ctx.registry.resolve(opts.model);
  const frames = profiledFrames(model, opts.frames);
  opts = { ...opts, frames };
  const pipelines = ctx.pipelines ?? defaultPipelineCache;
  const { pipeline } = await pipelines.get(model.dir, opts.provider);
  const modelHash = await pipelineHash(model.dir);
  opts.benchmarkPrompts.forEach((p, i) => pipeline.textEncoder.tokenize(p, `Benchmark prompt ${i + 1}`));
  const { profile, report: profileReport } = await profileFor(opts, { ...ctx, pipelines }, pipeline, modelHash, hooks);
  const key = runKey(pipeline, opts, modelHash);
  const timeAdjustment = nominalSigmas(schedulerFor(pipeline, opts.steps, opts.scheduler)) !== undefined;
  const settings = matchedSettings({ profile, key }, { steps: opts.steps, points: opts.points, tune: opts.tune, timeAdjustment });

  const run = async (prompt: string, seed: number, s: MatchedSetting | undefined): Promise<BenchSample & { fallbacks: number }> => {
    const config = s?.config;
    const params = { prompt, negativePrompt: '', steps: s?.steps ?? opts.steps, cfg: opts.cfg, seed, scheduler: opts.scheduler, ...(config ? { cache: { config, modelHash, profile } } : {}) };
    const out = frames === undefined ? await txt2img(pipeline, params, { signal }) : await txt2vid(pipeline, { ...params, frames }, { signal });
    const t = out.timings;
    return { rgb: 'frames' in out ? concatBytes(out.frames) : out.rgb, denoiseMs: t.denoiseMs, modelMs: t.modelMs, totalMs: t.encodeMs + t.denoiseMs + t.decodeMs, modelCalls: out.cacheStats?.modelCalls ?? (s?.steps ?? opts.steps), fallbacks: out.cacheStats?.fallbackSteps?.length ?? 0 };
  };

  const warmups: (MatchedSetting | undefined)[] = [undefined, ...new Map(settings.map((s) => [s.config === undefined ? 'baseline' : methodLabel(s.config), s])).values()];
  hooks.onStatus?.(`warm-up: ${warmups.length} runs; ${settings.length} settings × ${opts.benchmarkPrompts.length} prompts`);
  for (const s of warmups) await run(opts.benchmarkPrompts[0] as string, opts.seed, s);

  const reference: BenchSample[] = [];
  const samples: (BenchSample & { fallbacks: number })[][] = settings.map(() => []);
  for (const [p, prompt] of opts.benchmarkPrompts.entries()) {
    throwIfCancelled(signal);
    const seed = opts.seed + p;
    reference.push(await run(prompt, seed, undefined));
    for (let k = 0; k < settings.length; k++) {
      const c = (p + k) % settings.length;
      (samples[c] as (BenchSample & { fallbacks: number })[]).push(await run(prompt, seed, settings[c]));
    }
    hooks.onStatus?.(`prompt ${p + 1}/${opts.benchmarkPrompts.length} done: ${settings.length + 1} runs`);
  }

  const configs = settings.map((s) => {
    const config: CacheConfig = s.config ?? { method: 'none' };
    const plan = s.config === undefined ? null : planSchedule(s.config, opts.steps, { profile, key });
    return { config, predicted: plan === null ? null : { nfe: plan.modelCalls, speedup: plan.predictedSpeedup }, ...(s.variant === null ? {} : { variant: s.variant }) };
  });
  const [refRow, ...rows] = benchRuns(configs, samples, reference, stackedSize(pipeline.geometry, frames));
  hooks.onStatus?.('judging the images with the evaluation classifier');
  const judged = await judge(opts, frames, pipeline.geometry, reference, samples);
  const runs: MatchedRun[] = [
    { ...(refRow as BenchRun), point: opts.steps, family: 'reference', steps: opts.steps, fallbacks: 0, top5: judged.quality?.uncachedTop5 ?? null, frechet: judged.quality ? 0 : null },
    ...rows.map((r, i) => {
      const s = settings[i] as MatchedSetting;
      const q = judged.quality?.settings[i];
      return { ...r, variant: s.config === undefined ? `${s.steps} steps` : r.variant, point: s.point, family: s.family, steps: s.steps, fallbacks: medianAndMean((samples[i] ?? []).map((x) => x.fallbacks)).mean, top5: q?.top5 ?? null, frechet: q?.frechet ?? null };
    }),
  ];
  const cpus = os.cpus();
  return {
    kind: 'matched-calls',
    model: model.id,
    modelHash,
    provider: pipeline.provider,
    scheduler: key.scheduler,
    steps: opts.steps,
    cfg: opts.cfg,
    points: opts.points.filter((c) => c >= 2 && c < opts.steps),
    tuned: opts.tune,
    prompts: { calibration: profileReport.source === 'recorded' ? [...opts.calibrationPrompts] : [], benchmark: [...opts.benchmarkPrompts] },
    seeds: { benchmark: opts.seed, calibration: opts.calibrationSeed },
    profile: profileReport,
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.version, platform: process.platform, arch: process.arch },
    protocol: {
      warmupRuns: warmups.length,
      order: 'per benchmark prompt: the uncached reference, then every setting in an order rotated by one per prompt; same seed for all',
      ertacacheTimeAdjustmentAvailable: timeAdjustment,
      psnrCapDb: 100,
    },
    runs,
    matched: matchedSummary(runs),
    quality: judged.quality ? { classifier: judged.quality.classifier, labelled: judged.quality.labelled, prompts: judged.quality.prompts } : { classifier: null, reason: judged.reason },
    createdAt: new Date().toISOString(),
    elapsedS: (performance.now() - started) / 1000,
  };
}

/** Per point: the baseline, each method's default setting, and the best reuse and forecasting method by PSNR. */
export function matchedSummary(runs: readonly MatchedRun[]): MatchedPoint[] {
  const points = [...new Set(runs.filter((r) => r.family !== 'reference').map((r) => r.point))].sort((a, b) => b - a);
  return points.map((calls) => {
    const here = runs.filter((r) => r.point === calls && r.variant === null);
    const base = runs.find((r) => r.point === calls && r.family === 'baseline');
    const methods: MatchedPoint['methods'] = {};
    for (const r of here) if (r.family !== 'baseline') methods[methodLabel(r.params)] = { params: r.params, nfe: r.nfe, speedup: r.speedup, psnr: r.psnr, ssim: r.ssim, overhead_pct: r.overhead_pct, fallbacks: r.fallbacks, top5: r.top5, frechet: r.frechet };
    const best = (family: SettingFamily) => {
      const top = here.filter((r) => r.family === family).sort((a, b) => b.psnr - a.psnr)[0];
      return top === undefined ? null : { method: methodLabel(top.params), psnr: top.psnr };
    };
    return {
      calls,
      baseline: base === undefined ? null : { nfe: base.nfe, speedup: base.speedup, psnr: base.psnr, ssim: base.ssim, top5: base.top5, frechet: base.frechet },
      methods,
      bestReuse: best('reuse'),
      bestForecast: best('forecast'),
    };
  });
}

/** The classifier's verdict on every setting's images, or why there is none. */
async function judge(
  opts: MatchedBenchOptions,
  frames: number | undefined,
  size: { width: number; height: number },
  reference: readonly BenchSample[],
  samples: readonly BenchSample[][],
): Promise<{ quality: MatchedQuality; reason?: undefined } | { quality: null; reason: string }> {
  if (frames !== undefined) return { quality: null, reason: 'clips are judged by the video evaluation (studio eval)' };
  if (opts.judge === undefined) return { quality: null, reason: 'no evaluation set was given' };
  const quality = await opts.judge(size, opts.benchmarkPrompts, reference.map((r) => r.rgb), samples.map((list) => list.map((x) => x.rgb)));
  return typeof quality === 'string' ? { quality: null, reason: quality } : { quality };
}
