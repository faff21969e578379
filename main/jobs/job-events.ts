/**
 * The terminal event of a job, from what the store holds, so the event a front end gets
 * always agrees with the job's row: job.done with the kind's stored result, job.cancelled,
 * job.failed with the stored error, or job.retried for an interrupted job that was queued again.
 */
import type { StudioEvent } from '../../contract/api';
import type { JobDoneEvent } from '../../contract/jobs';
import type { RecoveredJob } from '../store/jobs-repo';
import type { StudioDb } from '../store/studio-db';
import { kindSpec } from './job-kinds';

/** The event a finished job ends with. */
export function terminalEvent(db: StudioDb, jobId: string): StudioEvent {
  const job = db.jobs.get(jobId);
  if (job?.state === 'done' && job.resultRef !== null) {
    const result = kindSpec(job.kind).load(db, job.resultRef);
    if (result !== undefined) return { type: 'job.done', jobId, kind: job.kind, result } as JobDoneEvent;
    return { type: 'job.failed', jobId, error: { code: 'NOT_FOUND', message: `Job ${jobId} finished, but its result ${job.resultRef} is no longer stored.` } };
  }
  if (job?.state === 'cancelled') return { type: 'job.cancelled', jobId };
  return { type: 'job.failed', jobId, error: job?.error ?? { code: 'INTERNAL', message: `Job ${jobId} ended as ${job?.state ?? 'unknown'}.` } };
}

/** The event of a job that was interrupted: its retry, or why it is not run again. */
export function interruptedEvent(r: RecoveredJob): StudioEvent {
  const reason = r.interrupted.error?.message ?? 'The job was interrupted.';
  if (r.retry) return { type: 'job.retried', jobId: r.interrupted.id, retryId: r.retry.id, reason };
  return { type: 'job.failed', jobId: r.interrupted.id, error: { code: 'INTERNAL', message: `${reason} It had already been retried once, so it was not run again.` } };
}
