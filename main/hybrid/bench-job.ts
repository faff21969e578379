/**
 * The `bench` job kind: a hybrid benchmark run from the app's queue in the worker process, on
 * the bundled evaluation set, stored as a report (migration 0006) that the job's result points
 * at. Progress counts images (captions × splits). The CLI's `studio bench hybrid` adds the
 * remote check through a serve-model process, which a queued job leaves out.
 */
import path from 'node:path';
import type { JobStage } from '../../contract/api';
import type { BenchRecord, HybridBenchRequest } from '../../contract/hybrid-bench';
import { findAppRoot } from '../models/app-root';
import type { ModelRegistry } from '../models/model-registry';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import type { StudioDb } from '../store/studio-db';
import { runHybridBench, sweepImages } from './run-hybrid-bench';

/** Images the job will make (its totalSteps). */
export function benchJobSize(req: HybridBenchRequest): number {
  return sweepImages(req.n, req.steps, req.largeSteps);
}

export async function runBenchJob(
  req: HybridBenchRequest,
  ctx: { registry: ModelRegistry; db: StudioDb },
  hooks: { signal: AbortSignal; onProgress: (p: { stage: JobStage; step: number; totalSteps: number }) => void },
): Promise<BenchRecord> {
  const { kind: _kind, ...options } = req;
  const report = await runHybridBench(
    { ...options, evalDir: path.join(findAppRoot(), 'native-models', 'eval') },
    { registry: ctx.registry, pipelines: defaultPipelineCache },
    { signal: hooks.signal, onImage: (done, total) => hooks.onProgress({ stage: 'denoise', step: done, totalSteps: total }) },
  );
  return ctx.db.benchReports.insert('hybrid', report, new Date().toISOString());
}
