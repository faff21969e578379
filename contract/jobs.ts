/**
 * Jobs: the long tasks the studio queues and runs one at a time in its worker process
 * (generations, calibration profiles), as the API lists and reports them.
 *
 * A job kind is a name with a request and a result type; adding a kind here (and
 * registering its runner in main/jobs/job-kinds.ts) is all a new kind needs. Every kind ends
 * with the same `job.done` event carrying its result, or job.failed / job.cancelled.
 *
 * Pure TypeScript, like contract/api.ts.
 */
import type { GenerateRequest, GenerationRecord } from './api';
import type { CacheProfileSummary, ProfileStartRequest } from './cache';
import type { ApiError } from './errors';
import type { BenchRequest, StoredBenchRecord } from './bench';
import type { ModelImportRequest, ModelImportResult } from './models';
import type { QuantizeRequest, QuantizeResult } from './quant';

/** Request and result of each job kind. */
export interface JobKinds {
  generate: { request: GenerateRequest; result: GenerationRecord };
  profile: { request: ProfileStartRequest; result: CacheProfileSummary };
  bench: { request: BenchRequest; result: StoredBenchRecord };
  'model-import': { request: ModelImportRequest; result: ModelImportResult };
  quantize: { request: QuantizeRequest; result: QuantizeResult };
}
export type JobKind = keyof JobKinds;
export type JobRequest<K extends JobKind> = JobKinds[K]['request'];
export type JobResult<K extends JobKind> = JobKinds[K]['result'];

/**
 * queued → running → done | failed | cancelled | interrupted. `interrupted`: the process
 * running it stopped (a crash, a kill, the app closing) before it finished; the error says why.
 */
export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

interface JobSummaryBase {
  /** UUID. */
  id: string;
  state: JobState;
  /** Finished steps of totalSteps (denoising steps; profiling counts over all prompts). */
  step: number;
  totalSteps: number;
  /**
   * Where the result is stored once done: the history id of a generation, the profile id of
   * a calibration run, the report id of a benchmark; null before.
   */
  resultRef: number | null;
  /** Why it failed or was interrupted; null otherwise. */
  error: ApiError | null;
  /** 1 for a new job, 2 for its first retry, … */
  attempt: number;
  /** The job this one retries (automatically after an interruption, or by jobs.retry). */
  retryOf: string | null;
  /** ISO 8601 UTC. */
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One row of `jobs.list`, discriminated on `kind`. */
export type JobSummary = { [K in JobKind]: JobSummaryBase & { kind: K; request: JobRequest<K> } }[JobKind];

/** The one completion event of every kind. */
export type JobDoneEvent = { [K in JobKind]: { type: 'job.done'; jobId: string; kind: K; result: JobResult<K> } }[JobKind];

export interface JobsListQuery {
  /** Newest first; default 50, at most LIMITS.historyPageMax. */
  limit?: number;
  /** Only jobs in this state. */
  state?: JobState;
}

/** Longest job id accepted by the job calls (job ids are 36-character UUIDs). */
export const JOB_ID_MAX = 100;

/** Where jobs.move takes a queued job: one place earlier or later in the run order, or to its front or end. */
export const JOB_MOVES = ['up', 'down', 'first', 'last'] as const;
export type JobMove = (typeof JOB_MOVES)[number];

export interface JobMoveRequest {
  jobId: string;
  to: JobMove;
}

/** What the queue panel shows (jobs.queue). */
export interface JobQueue {
  /** The running job (when there is one), then the queued jobs in the order they will run. */
  active: JobSummary[];
  /** The newest jobs that failed, were cancelled or were interrupted and have not been retried, newest first (at most JOB_QUEUE_ENDED_MAX). */
  ended: JobSummary[];
}

/** How many ended-without-result jobs jobs.queue returns, for the panel's Retry buttons. */
export const JOB_QUEUE_ENDED_MAX = 5;
