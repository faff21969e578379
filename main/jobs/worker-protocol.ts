/**
 * Messages between the studio (parent) and its job worker process, in both directions.
 * They travel as JSON over Node's IPC channel (child_process.fork) or Electron's
 * MessagePort (utilityProcess.fork), so they hold plain data only.
 *
 * The parent owns the queue and every job state change except one: the worker marks a job
 * done in the same SQLite transaction that stores its result (see completing-db.ts), then
 * reports `finished`.
 */
import type { JobPreview, JobProgress } from '../../contract/api';
import type { ApiError } from '../../contract/errors';
import type { JobKind } from '../../contract/jobs';
import type { StudioPaths } from '../config/studio-home';

/** What the worker needs to build its own registry, store and runners. */
export interface WorkerInit {
  paths: StudioPaths;
  /** Written into every recipe. */
  appVersion: string;
  bundledModelsDir?: string;
  /** Minimum milliseconds between two progress messages of one job (see progress-throttle.ts). */
  progressIntervalMs: number;
}

export type ParentMessage =
  | { type: 'init'; init: WorkerInit }
  /** `request` was validated by the parent; the kind's runner validates it again. */
  | { type: 'run'; jobId: string; kind: JobKind; request: unknown }
  | { type: 'cancel'; jobId: string };

export type JobOutcome = { outcome: 'done' } | { outcome: 'cancelled' } | { outcome: 'failed'; error: ApiError };

export type WorkerMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'preview'; preview: JobPreview }
  | ({ type: 'finished'; jobId: string } & JobOutcome);
