/**
 * Collects StudioEvents (from a service subscription or a WebSocket) and waits for the
 * first one matching a predicate: tests react to the event itself instead of polling on a
 * timer, so they run the same on a slow or a fast machine.
 */
import type { JobPreview, JobProgress, StudioEvent } from '../../contract/api';

type Terminal = Exclude<StudioEvent, { type: 'job.progress' } | { type: 'job.preview' }>;
type Progress = Extract<StudioEvent, { type: 'job.progress' }>;

export class EventLog {
  readonly events: StudioEvent[] = [];
  readonly #waiters = new Set<{ match: (e: StudioEvent) => boolean; resolve: (e: StudioEvent) => void }>();

  push = (event: StudioEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(event)) {
        this.#waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  };

  /** The first event (already received or still to come) matching `match`. */
  waitFor<E extends StudioEvent>(match: (e: StudioEvent) => e is E, timeoutMs?: number): Promise<E>;
  waitFor(match: (e: StudioEvent) => boolean, timeoutMs?: number): Promise<StudioEvent>;
  waitFor(match: (e: StudioEvent) => boolean, timeoutMs = 50_000): Promise<StudioEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (e: StudioEvent) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no matching event in ${timeoutMs} ms; last events: ${JSON.stringify(this.events.slice(-3))}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** The job's job.done, job.failed, job.cancelled or job.retried. */
  terminal(jobId: string, timeoutMs?: number): Promise<Terminal> {
    return this.waitFor((e): e is Terminal => e.type !== 'job.progress' && e.type !== 'job.preview' && e.jobId === jobId, timeoutMs);
  }

  /** The job's first progress of `stage` at or past `step`. */
  async progressAt(jobId: string, stage: string, step: number, timeoutMs?: number): Promise<JobProgress> {
    const match = (e: StudioEvent): e is Progress => e.type === 'job.progress' && e.progress.jobId === jobId && e.progress.stage === stage && e.progress.step >= step;
    return (await this.waitFor(match, timeoutMs)).progress;
  }

  /** Live previews of one job, in order. */
  previewsOf(jobId: string): JobPreview[] {
    return this.events.flatMap((e) => (e.type === 'job.preview' && e.jobId === jobId ? [e] : []));
  }

  /** Progress events of one job, in order. */
  progressOf(jobId: string) {
    return this.events.flatMap((e) => (e.type === 'job.progress' && e.progress.jobId === jobId ? [e.progress] : []));
  }
}
