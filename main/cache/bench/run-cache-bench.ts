/**
 * `studio bench cache`: every caching method against the uncached sampler on the same model,
 * prompts and seeds, following cache-peers.md §4:
 *
 *   1. calibration prompts disjoint from the benchmark prompts (bench-prompts.ts);
 *   2. one calibration profile, recorded now on the calibration prompts (or, unless
 *      recordProfile, the newest matching one already stored — the report says which);
 *   3. the settings: FORA 2/3/4 and K knob values per adaptive method spanning ~1.3–3× fewer
 *      model calls by the profile's plan (bench-sweep.ts);
 *   4. a warm-up (one uncached run and one run of each method, not measured);
 *   5. for each benchmark prompt (seed + i): the uncached reference, then every setting in an
 *      order rotated by one per prompt, so slow drift (thermal, other load) hits every setting
 *      alike instead of whichever runs last;
 *   6. quality against the uncached image of the same prompt and seed, times as medians
 *      (bench-report.ts).
 * Nothing is written to history or outputs; a recorded profile is stored like `studio profile`'s.
 *
 * A video model runs clips of `frames` frames (absent = its default) with txt2vid, its profile is
 * the one for that many frames, and a clip's quality is measured over all its frames at once:
 * the frames stacked into one tall image, so PSNR is over every pixel of the clip.
 */
import os from 'node:os';
import type { JobStage, ProviderChoice, SchedulerName } from '../../../contract/api';
import type { CacheConfig } from '../../../contract/cache';
import type { CacheBenchReport } from '../../../contract/cache-bench';
import { StudioError } from '../../../contract/errors';
import { nominalSigmas, planSchedule, type CacheProfile } from '../../../core/cache';
import { defaultPipelineCache } from '../../pipeline/default-pipeline-cache';
import type { ModelRegistry } from '../../models/model-registry';
import { schedulerFor, throwIfCancelled, txt2img } from '../../pipeline/txt2img';
import type { LoadedPipeline, PipelineCache } from '../../runtime/loaded-pipeline';
import { pipelineHash } from '../../runtime/model-hash';
import type { StudioDb } from '../../store/studio-db';
import { txt2vid } from '../../pipeline/txt2vid';
import { loadStoredProfile, runKey } from '../profile-lookup';
import { profiledFrames, runProfiling } from '../run-profiling';
import { concatBytes, stackedSize } from './clip-sample';
import { checkDisjoint } from './bench-prompts';
import { benchRuns, benchSummary, PSNR_CAP_DB, type BenchRun, type BenchSample, type BenchSummary } from './bench-report';
import { ertaAblationConfigs, sweepConfigs } from './bench-sweep';

export interface CacheBenchOptions {
  model: string;
  provider: ProviderChoice;
  scheduler: SchedulerName;
  steps: number;
  cfg: number;
  calibrationPrompts: string[];
  benchmarkPrompts: string[];
  /** Knob values per adaptive method. */
  thresholdsPerMethod: number;
  /** Benchmark prompt i runs with seed + i. */
  seed: number;
  /** Calibration prompt i runs with calibrationSeed + i. */
  calibrationSeed: number;
  /** Record a new profile even when a matching one is stored. */
  recordProfile: boolean;
  /** Also run ERTACache's ablation rows (bench-sweep.ts ertaAblationConfigs). */
  ablation: boolean;
  /** A video model's frames per clip (absent = its default); an image model takes none. */
  frames?: number | undefined;
}

/** The report's shape is part of the contract: a `bench` job returns it to the app. */
export type { CacheBenchReport };

export interface CacheBenchContext {
  registry: ModelRegistry;
  db: StudioDb;
  pipelines?: PipelineCache;
}

export interface CacheBenchHooks {
  signal?: AbortSignal;
  /** One line per phase and per finished prompt, for stderr. */
  onStatus?: (line: string) => void;
  /** Profiling's own progress while a profile is recorded, then images made of the benchmark's total (warm-up included). */
  onProgress?: (p: { stage: JobStage; step: number; totalSteps: number }) => void;
}

export async function profileFor(opts: CacheBenchOptions, ctx: CacheBenchContext, pipeline: LoadedPipeline, modelHash: string, hooks: CacheBenchHooks): Promise<{ profile: CacheProfile; report: CacheBenchReport['profile'] }> {
  const stored = opts.recordProfile ? undefined : ctx.db.profiles.findMatching(runKey(pipeline, opts, modelHash));
  if (stored !== undefined) {
    hooks.onStatus?.(`reusing stored profile #${stored.id} (${stored.prompts} prompts)`);
    const note = `reused the newest matching stored profile; its prompts are not stored, so their disjointness from the benchmark prompts was not checked (use --record-profile to record one now)`;
    return { profile: loadStoredProfile(ctx.db, stored).profile, report: { source: 'reused', id: stored.id, sha256: stored.sha256, prompts: stored.prompts, createdAt: stored.createdAt, note } };
  }
  hooks.onStatus?.(`recording a profile on ${opts.calibrationPrompts.length} calibration prompts`);
  const summary = await runProfiling(
    { model: opts.model, steps: opts.steps, cfg: opts.cfg, scheduler: opts.scheduler, prompts: opts.calibrationPrompts, provider: opts.provider, seed: opts.calibrationSeed, ...(opts.frames === undefined ? {} : { frames: opts.frames }) },
    ctx,
    { signal: hooks.signal, ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}) },
  );
  const note = 'recorded in this run on the calibration prompts (disjoint from the benchmark prompts) and stored';
  return { profile: loadStoredProfile(ctx.db, summary).profile, report: { source: 'recorded', id: summary.id, sha256: summary.sha256, prompts: summary.prompts, createdAt: summary.createdAt, note } };
}

/**
 * @throws StudioError INVALID_REQUEST (prompts not disjoint, too few steps) | MODEL_* | PROMPT_TOO_LONG | CANCELLED | STORE
 */
export async function runCacheBench(opts: CacheBenchOptions, ctx: CacheBenchContext, hooks: CacheBenchHooks = {}): Promise<CacheBenchReport> {
  const started = performance.now();
  const { signal } = hooks;
  checkDisjoint(opts.calibrationPrompts, opts.benchmarkPrompts);
  if (opts.benchmarkPrompts.length === 0) throw new StudioError('INVALID_REQUEST', 'The benchmark needs at least one benchmark prompt.', 'prompts');
  if (opts.steps < 2) throw new StudioError('INVALID_REQUEST', `The cache benchmark needs at least 2 steps (got ${opts.steps}).`, 'steps');
  const model = ctx.registry.resolve(opts.model);
  const frames = profiledFrames(model, opts.frames);
  opts = { ...opts, frames };
  const { pipeline } = await (ctx.pipelines ?? defaultPipelineCache).get(model.dir, opts.provider);
  const modelHash = await pipelineHash(model.dir);
  opts.benchmarkPrompts.forEach((p, i) => pipeline.textEncoder.tokenize(p, `Benchmark prompt ${i + 1}`));

  const { profile, report: profileReport } = await profileFor(opts, { ...ctx, pipelines: ctx.pipelines ?? defaultPipelineCache }, pipeline, modelHash, hooks);
  const key = runKey(pipeline, opts, modelHash);
  const timeAdjustment = nominalSigmas(schedulerFor(pipeline, opts.steps, opts.scheduler)) !== undefined;
  const sweep = sweepConfigs({ profile, key }, { steps: opts.steps, perMethod: opts.thresholdsPerMethod, timeAdjustment });
  const entries: { config: CacheConfig; variant?: string }[] = [
    ...sweep.map((config) => ({ config })),
    ...(opts.ablation ? ertaAblationConfigs(sweep, timeAdjustment, opts.cfg > 1, profile.reuseCost != null) : []),
  ];
  const configs = entries.map(({ config, variant }) => {
    const plan = planSchedule(config, opts.steps, { profile, key });
    return { config, predicted: { nfe: plan.modelCalls, speedup: plan.predictedSpeedup }, ...(variant === undefined ? {} : { variant }) };
  });

  const warmups = [undefined, ...[...new Map(configs.map((c) => [c.config.method, c.config])).values()]];
  const images = { done: 0, total: warmups.length + opts.benchmarkPrompts.length * (configs.length + 1) };
  const run = async (prompt: string, seed: number, config: CacheConfig | undefined): Promise<BenchSample> => {
    const params = { prompt, negativePrompt: '', steps: opts.steps, cfg: opts.cfg, seed, scheduler: opts.scheduler, ...(config ? { cache: { config, modelHash, profile } } : {}) };
    const out = frames === undefined ? await txt2img(pipeline, params, { signal }) : await txt2vid(pipeline, { ...params, frames }, { signal });
    const t = out.timings;
    images.done += 1;
    hooks.onProgress?.({ stage: 'denoise', step: images.done, totalSteps: images.total });
    return { rgb: 'frames' in out ? concatBytes(out.frames) : out.rgb, denoiseMs: t.denoiseMs, modelMs: t.modelMs, totalMs: t.encodeMs + t.denoiseMs + t.decodeMs, modelCalls: out.cacheStats?.modelCalls ?? opts.steps };
  };

  // Warm-up: sessions, allocators and each policy's code path, unmeasured.
  hooks.onStatus?.(`warm-up: ${warmups.length} runs`);
  for (const c of warmups) await run(opts.benchmarkPrompts[0] as string, opts.seed, c);

  const reference: BenchSample[] = [];
  const samples: BenchSample[][] = configs.map(() => []);
  for (const [p, prompt] of opts.benchmarkPrompts.entries()) {
    throwIfCancelled(signal);
    const seed = opts.seed + p;
    reference.push(await run(prompt, seed, undefined));
    for (let k = 0; k < configs.length; k++) {
      const c = (p + k) % configs.length;
      (samples[c] as BenchSample[]).push(await run(prompt, seed, (configs[c] as (typeof configs)[number]).config));
    }
    hooks.onStatus?.(`prompt ${p + 1}/${opts.benchmarkPrompts.length} done: ${configs.length + 1} runs`);
  }

  const runs = benchRuns(configs, samples, reference, stackedSize(pipeline.geometry, frames));
  const cpus = os.cpus();
  return {
    model: model.id,
    modelHash,
    provider: pipeline.provider,
    scheduler: key.scheduler,
    steps: opts.steps,
    cfg: opts.cfg,
    ...(frames === undefined ? {} : { frames }),
    prompts: { calibration: profileReport.source === 'recorded' ? [...opts.calibrationPrompts] : [], benchmark: [...opts.benchmarkPrompts] },
    seeds: { benchmark: opts.seed, calibration: opts.calibrationSeed },
    profile: profileReport,
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.version, platform: process.platform, arch: process.arch },
    protocol: {
      warmupRuns: warmups.length,
      order: 'per benchmark prompt: the uncached reference, then every setting in an order rotated by one per prompt; same seed for all',
      ertacacheTimeAdjustmentAvailable: timeAdjustment,
      psnrCapDb: PSNR_CAP_DB,
    },
    runs,
    summary: benchSummary(runs),
    createdAt: new Date().toISOString(),
    elapsedS: (performance.now() - started) / 1000,
  };
}
