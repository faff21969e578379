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
}

export interface MatchedRun extends BenchRun {
  point: number;
  family: SettingFamily | 'reference';
  /** Plain sampling steps (the baseline's C; T otherwise). */
  steps: number;
  /** Mean per image of planned forecasts that fell back to the model. */
  fallbacks: number;
}

export interface MatchedPoint {
  calls: number;
  /** PSNR of plain sampling with `calls` steps. */
  baseline: Pick<MatchedRun, 'nfe' | 'speedup' | 'psnr' | 'ssim'> | null;
  /** Per method, its default setting at this point. */
  methods: Record<string, Pick<MatchedRun, 'params' | 'nfe' | 'speedup' | 'psnr' | 'ssim' | 'overhead_pct' | 'fallbacks'>>;
  bestReuse: { method: string; psnr: number } | null;
  bestForecast: { method: string; psnr: number } | null;
}

export interface MatchedBenchReport extends Omit<CacheBenchReport, 'runs' | 'summary'> {
  kind: 'matched-calls';
  points: number[];
  tuned: boolean;
  runs: MatchedRun[];
  matched: MatchedPoint[];
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
  const runs: MatchedRun[] = [
    { ...(refRow as BenchRun), point: opts.steps, family: 'reference', steps: opts.steps, fallbacks: 0 },
    ...rows.map((r, i) => {
      const s = settings[i] as MatchedSetting;
      return { ...r, variant: s.config === undefined ? `${s.steps} steps` : r.variant, point: s.point, family: s.family, steps: s.steps, fallbacks: medianAndMean((samples[i] ?? []).map((x) => x.fallbacks)).mean };
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
    for (const r of here) if (r.family !== 'baseline') methods[methodLabel(r.params)] = { params: r.params, nfe: r.nfe, speedup: r.speedup, psnr: r.psnr, ssim: r.ssim, overhead_pct: r.overhead_pct, fallbacks: r.fallbacks };
    const best = (family: SettingFamily) => {
      const top = here.filter((r) => r.family === family).sort((a, b) => b.psnr - a.psnr)[0];
      return top === undefined ? null : { method: methodLabel(top.params), psnr: top.psnr };
    };
    return {
      calls,
      baseline: base === undefined ? null : { nfe: base.nfe, speedup: base.speedup, psnr: base.psnr, ssim: base.ssim },
      methods,
      bestReuse: best('reuse'),
      bestForecast: best('forecast'),
    };
  });
}
