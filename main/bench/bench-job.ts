/**
 * The `bench` job kind: a hybrid K sweep (main/hybrid/bench-job.ts) or the cache benchmark
 * (cache-bench-job.ts), told apart by the request's `kind`; both store a benchmark report that
 * the job's result points at.
 */
import type { JobStage } from '../../contract/api';
import type { BenchRequest, StoredBenchRecord } from '../../contract/bench';
import { benchJobSize as hybridJobSize, runBenchJob as runHybridJob } from '../hybrid/bench-job';
import type { ModelRegistry } from '../models/model-registry';
import type { StudioDb } from '../store/studio-db';
import { cacheBenchJobSize, runCacheBenchJob } from './cache-bench-job';

export function benchJobSize(req: BenchRequest): number {
  return req.kind === 'cache' ? cacheBenchJobSize(req) : hybridJobSize(req);
}

export function runBenchJob(
  req: BenchRequest,
  ctx: { registry: ModelRegistry; db: StudioDb },
  hooks: { signal: AbortSignal; onProgress: (p: { stage: JobStage; step: number; totalSteps: number }) => void },
): Promise<StoredBenchRecord> {
  return req.kind === 'cache' ? runCacheBenchJob(req, ctx, hooks) : runHybridJob(req, ctx, hooks);
}
