/**
 * The registry of job kinds: for each kind in contract/jobs.ts, how its request is checked
 * and sized, how the worker runs it, and how the parent reads its stored result back.
 * A new kind (quantize, export, …) plugs in by adding its entry; the mapped type makes a
 * kind without an entry a compile error.
 *
 * `run` executes in the worker process. Its `ctx.db` completes the job in the transaction
 * that stores the result (completing-db.ts), so `run` only has to store it the usual way.
 */
import type { JobStage } from '../../contract/api';
import type { JobKind, JobRequest, JobResult } from '../../contract/jobs';
import { validateCallRequest, validateGenerateRequest, validateProfileStartRequest } from '../../contract/validate';
import { runProfiling } from '../cache/run-profiling';
import type { StudioPaths } from '../config/studio-home';
import { runGeneration } from '../generation/run-generation';
import { benchJobSize, runBenchJob } from '../bench/bench-job';
import { modelImportJobSize, runModelImportJob } from '../models/model-import-job';
import type { ModelRegistry } from '../models/model-registry';
import type { PreviewFrame } from '../pipeline/preview-session';
import { quantizeJobSize, runQuantize } from '../quant/quantize-model';
import { validateQuantizeRequest } from '../quant/quantize-request';
import type { StudioDb } from '../store/studio-db';

export interface KindContext {
  registry: ModelRegistry;
  db: StudioDb;
  paths: StudioPaths;
  appVersion: string;
}

export interface KindHooks {
  signal: AbortSignal;
  onProgress: (p: { stage: JobStage; step: number; totalSteps: number }) => void;
  /** Live previews of a generation that asks for them. */
  onPreview?: (frame: PreviewFrame) => void;
}

export interface JobKindSpec<K extends JobKind> {
  /** Checks an untrusted request (from a call, or read back from the store). */
  validate(raw: unknown): JobRequest<K>;
  /** The step count progress is reported against. */
  totalSteps(request: JobRequest<K>): number;
  /** Does the job; rejects with StudioError('CANCELLED') once `hooks.signal` aborts. */
  run(request: JobRequest<K>, ctx: KindContext, hooks: KindHooks): Promise<JobResult<K>>;
  /** The stored result a done job's result reference points at. */
  load(db: StudioDb, resultRef: number): JobResult<K> | undefined;
}

export const JOB_KINDS: { readonly [K in JobKind]: JobKindSpec<K> } = {
  generate: {
    validate: validateGenerateRequest,
    totalSteps: (request) => request.steps,
    run: (request, ctx, hooks) => runGeneration(request, ctx, hooks),
    load: (db, id) => db.history.get(id),
  },
  profile: {
    validate: validateProfileStartRequest,
    totalSteps: (request) => request.prompts.length * request.steps,
    run: (request, ctx, hooks) => runProfiling(request, ctx, hooks),
    load: (db, id) => db.profiles.get(id),
  },
  bench: {
    validate: (raw) => validateCallRequest('bench.start', raw),
    totalSteps: benchJobSize,
    run: (request, ctx, hooks) => runBenchJob(request, ctx, hooks),
    load: (db, id) => db.benchReports.get(id),
  },
  'model-import': {
    validate: (raw) => validateCallRequest('models.import', raw),
    totalSteps: modelImportJobSize,
    run: (request, ctx, hooks) => runModelImportJob(request, ctx, hooks),
    load: (db, id) => db.modelImports.get(id),
  },
  quantize: {
    validate: validateQuantizeRequest,
    totalSteps: quantizeJobSize,
    run: (request, ctx, hooks) => runQuantize(request, ctx, hooks),
    load: (db, id) => db.quantReports.get(id),
  },
};

/** The spec of `kind`, typed loosely for code that handles every kind alike. */
export function kindSpec(kind: JobKind): JobKindSpec<JobKind> {
  return JOB_KINDS[kind] as unknown as JobKindSpec<JobKind>;
}
