/**
 * The queue panel's state: the back end's running and queued jobs in run order, and the
 * newest that ended without a result (to retry), read with `jobs.queue`. The queue lives in the
 * store, so after a reload or a restart the panel shows it as it stood.
 *
 * Events keep it current: the running job's step comes from its progress events; a job that
 * appears, starts or ends makes the panel read the queue again (coalesced, so a batch of 16
 * queued at once costs one read).
 */
import type { JobProgress, StudioClient, StudioEvent } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import type { JobMove, JobSummary } from '../../../contract/jobs';
import { asApiError } from './client-error';

/** How long events are gathered before the queue is read again, ms. */
const REFRESH_DELAY_MS = 40;

export class QueueState {
  /** The running job first, then the queued ones in the order they will run. */
  active = $state.raw<JobSummary[]>([]);
  /** Ended without a result and not retried yet, newest first. */
  ended = $state.raw<JobSummary[]>([]);
  /** The running job's latest progress event. */
  live = $state.raw<JobProgress | null>(null);
  /** Job ids with a move, cancel or retry on its way, so their buttons wait for it. */
  acting = $state.raw<ReadonlySet<string>>(new Set());

  readonly #client: StudioClient;
  readonly #onError: (error: ApiError) => void;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Answers to superseded reads are dropped, so a slow old read cannot win. */
  #generation = 0;

  constructor(client: StudioClient, onError: (error: ApiError) => void) {
    this.#client = client;
    this.#onError = onError;
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const queue = await this.#client.call('jobs.queue', {});
      if (generation !== this.#generation) return;
      this.active = queue.active;
      this.ended = queue.ended;
      const running = queue.active.find((j) => j.state === 'running');
      if (this.live?.jobId !== running?.id) this.live = null;
    } catch (err) {
      if (generation === this.#generation) this.#onError(asApiError(err));
    }
  }

  handle(event: StudioEvent): void {
    // A job ended, was re-queued under a new id, or moved (maybe from another window): the queue changed.
    const changed = ['job.done', 'job.failed', 'job.cancelled', 'job.retried', 'job.moved'];
    if (changed.includes(event.type)) return this.#scheduleRefresh();
    if (event.type !== 'job.progress') return;
    const { progress } = event;
    const known = this.active.find((j) => j.id === progress.jobId);
    if (known?.state === 'running') this.live = progress;
    // A new job, or a queued one that has started.
    else if (!known || progress.stage !== 'queued') {
      if (progress.stage !== 'queued') this.live = progress;
      this.#scheduleRefresh();
    }
  }

  move(jobId: string, to: JobMove): Promise<void> {
    return this.#act(jobId, () => this.#client.call('jobs.move', { jobId, to }));
  }

  cancel(jobId: string): Promise<void> {
    return this.#act(jobId, () => this.#client.call('jobs.cancel', { jobId }));
  }

  /** Runs a call about one job, then reads the queue as it now stands. */
  async #act(jobId: string, call: () => Promise<unknown>): Promise<void> {
    if (this.acting.has(jobId)) return;
    this.acting = new Set([...this.acting, jobId]);
    try {
      await call();
    } catch (err) {
      this.#onError(asApiError(err));
    } finally {
      await this.refresh();
      this.acting = new Set([...this.acting].filter((id) => id !== jobId));
    }
  }

  #scheduleRefresh(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }
}
