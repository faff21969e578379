/**
 * The cache benchmark (`studio bench cache`) as a `bench` job of the app's queue, run in the worker
 * on the built-in prompts and stored as a benchmark report of kind 'cache' that the job's result
 * points at. Progress counts images: the profile's calibration runs first when none matching is
 * stored, then the warm-up and every setting on every prompt.
 */
import type { JobStage } from '../../contract/api';
import type { CacheBenchRecord, CacheBenchRequest } from '../../contract/cache-bench';
import { StudioError } from '../../contract/errors';
import { DEFAULT_BENCHMARK_PROMPTS, DEFAULT_CALIBRATION_PROMPTS } from '../cache/bench/bench-prompts';
import { runCacheBench } from '../cache/bench/run-cache-bench';
import type { ModelRegistry } from '../models/model-registry';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { StudioDb } from '../store/studio-db';

/**
 * Images queued for the job before the sweep is planned: FORA at 3 intervals and
 * `thresholdsPerMethod` settings of the four adaptive methods on every prompt with its reference,
 * plus 6 warm-up runs. The sweep adds a setting per FORA budget, so progress events carry the
 * run's real total once the profile is known.
 */
export function cacheBenchJobSize(req: CacheBenchRequest): number {
  return 6 + req.n * (1 + 3 + 4 * req.thresholdsPerMethod);
}

/** @throws StudioError INVALID_REQUEST when n asks for more prompts than are built in */
export function checkCacheBenchRequest(req: CacheBenchRequest): void {
  if (req.n > DEFAULT_BENCHMARK_PROMPTS.length) {
    throw new StudioError('INVALID_REQUEST', `n must be at most ${DEFAULT_BENCHMARK_PROMPTS.length}, the number of built-in benchmark prompts (got ${req.n}).`, 'n');
  }
}

export async function runCacheBenchJob(
  req: CacheBenchRequest,
  ctx: { registry: ModelRegistry; db: StudioDb },
  hooks: { signal: AbortSignal; onProgress: (p: { stage: JobStage; step: number; totalSteps: number }) => void },
): Promise<CacheBenchRecord> {
  checkCacheBenchRequest(req);
  const report = await runCacheBench(
    {
      model: req.model,
      provider: req.provider,
      scheduler: req.scheduler,
      steps: req.steps,
      cfg: req.cfg,
      calibrationPrompts: DEFAULT_CALIBRATION_PROMPTS.slice(0, req.calibrationN),
      benchmarkPrompts: DEFAULT_BENCHMARK_PROMPTS.slice(0, req.n),
      thresholdsPerMethod: req.thresholdsPerMethod,
      seed: req.seed,
      // As `studio profile` and the CLI benchmark: calibration prompt i uses seed 1000 + i.
      calibrationSeed: 1000,
      recordProfile: false,
      ablation: false,
    },
    { registry: ctx.registry, db: ctx.db, pipelines: defaultPipelineCache },
    { signal: hooks.signal, onProgress: hooks.onProgress },
  );
  return ctx.db.benchReports.insert('cache', report, new Date().toISOString());
}
