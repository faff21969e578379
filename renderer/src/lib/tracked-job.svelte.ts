/**
 * One back-end job the UI follows, of any kind (a generation, a calibration run, …).
 * `start` only asks the back end for a job id; everything after that arrives as events, so
 * the page stays responsive however long the job runs. Every kind ends the same way:
 * job.done (with the kind's result), job.failed or job.cancelled; job.retried means the
 * back end was interrupted and runs the job again under a new id, which is followed.
 *
 * Events may arrive before the start call has answered with the id they belong to (they
 * travel on another channel), so they are held until it has. An event can still be missed (a
 * server restart races the page's reconnect), so a job that has been silent for SILENT_MS asks
 * the back end's queue how it stands and ends as the queue says it ended.
 */
import type { JobProgress, StudioClient, StudioEvent } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import type { JobKind, JobRequest, JobResult } from '../../../contract/jobs';
import { asApiError } from './client-error';
import { denoiseEtaMs, denoiseStepsPerSecond, progressFraction, type RateAnchor } from './progress-math';

export type JobPhase = 'idle' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

/** How long a running job may go without an event before its state is read from the queue, ms. */
const SILENT_MS = 3000;

export interface JobOutcomes<K extends JobKind> {
  /** `request` is what was sent for the job that made `result`. */
  done(result: JobResult<K>, request: JobRequest<K>): void;
  failed(error: ApiError): void;
  cancelled?(): void;
}

/** The calls that differ by kind. */
export interface JobCalls<K extends JobKind> {
  /** Asks the back end to queue the job; resolves with its id. */
  start(client: StudioClient, request: JobRequest<K>): Promise<{ jobId: string }>;
  /** Reads the stored result a done job's `resultRef` points at (for a job that ended while disconnected). */
  load(client: StudioClient, resultRef: number): Promise<JobResult<K>>;
}

export class TrackedJob<K extends JobKind> {
  phase = $state<JobPhase>('idle');
  jobId = $state<string | null>(null);
  progress = $state.raw<JobProgress | null>(null);
  /** The request of the current (or last) job. */
  request = $state.raw<JobRequest<K> | null>(null);
  cancelling = $state(false);
  /** Why the last job failed; null otherwise. */
  error = $state.raw<ApiError | null>(null);
  /** Wall-clock ms since start, ticked while running so it moves even between events. */
  elapsedMs = $state(0);

  readonly busy = $derived(this.phase === 'starting' || this.phase === 'running');
  readonly fraction = $derived(this.phase === 'done' ? 1 : progressFraction(this.progress));

  #anchor = $state.raw<RateAnchor | null>(null);
  readonly etaMs = $derived(denoiseEtaMs(this.progress, this.#anchor));
  readonly stepsPerSecond = $derived(denoiseStepsPerSecond(this.progress, this.#anchor));
  #startedAt = 0;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #early: StudioEvent[] = [];
  #cancelWanted = false;
  #lastEventAt = 0;
  #polling = false;

  readonly #kind: K;
  readonly #client: StudioClient;
  readonly #calls: JobCalls<K>;
  readonly #outcomes: JobOutcomes<K>;

  constructor(kind: K, client: StudioClient, calls: JobCalls<K>, outcomes: JobOutcomes<K>) {
    this.#kind = kind;
    this.#client = client;
    this.#calls = calls;
    this.#outcomes = outcomes;
  }

  async start(request: JobRequest<K>): Promise<void> {
    if (this.busy) return;
    this.#reset(request);
    this.phase = 'starting';
    try {
      const { jobId } = await this.#calls.start(this.#client, request);
      this.jobId = jobId;
      this.phase = 'running';
      const early = this.#early;
      this.#early = [];
      for (const event of early) this.handle(event);
      if (this.#cancelWanted && this.busy) await this.cancel();
    } catch (err) {
      this.#fail(asApiError(err));
    }
  }

  /**
   * Follows a job the back end already has (queued before this page loaded, or by another
   * window) as if this page had started it; its events then arrive as for any other.
   */
  follow(jobId: string, request: JobRequest<K>, progress: JobProgress | null): void {
    if (this.busy) return;
    this.#reset(request);
    this.jobId = jobId;
    this.phase = 'running';
    if (progress) this.#onProgress(progress);
  }

  async cancel(): Promise<void> {
    if (!this.busy || this.cancelling) return;
    this.cancelling = true;
    if (this.jobId === null) {
      this.#cancelWanted = true;
      return;
    }
    try {
      // The job.cancelled event ends the job; `cancelled: false` means it finished first.
      await this.#client.call('jobs.cancel', { jobId: this.jobId });
    } catch (err) {
      this.cancelling = false;
      this.#outcomes.failed(asApiError(err));
    }
  }

  /** Feed every studio event here; events of other jobs are ignored. */
  handle(event: StudioEvent): void {
    if (!this.busy) return;
    if (this.jobId === null) {
      this.#early.push(event);
      return;
    }
    const eventJobId = event.type === 'job.progress' ? event.progress.jobId : event.jobId;
    if (eventJobId !== this.jobId) return;
    this.#lastEventAt = performance.now();
    switch (event.type) {
      case 'job.progress':
        this.#onProgress(event.progress);
        break;
      case 'job.done':
        if (event.kind !== this.#kind) return;
        this.#finish('done');
        this.#outcomes.done(event.result as JobResult<K>, this.request as JobRequest<K>);
        break;
      case 'job.failed':
        this.#fail(event.error);
        break;
      case 'job.cancelled':
        this.#finish('cancelled');
        this.#outcomes.cancelled?.();
        break;
      case 'job.retried':
        // The back end stopped under the job and queued it again: follow the retry.
        this.jobId = event.retryId;
        this.progress = null;
        this.#anchor = null;
        break;
    }
  }

  /**
   * After the connection to the back end came back: its queue survives a restart, so the
   * job (or the retry the back end made of it) is followed on while queued or running, and
   * reported as it ended if it ended meanwhile. When the back end no longer knows it, the job
   * is abandoned with `lost`.
   */
  async resync(lost: ApiError): Promise<void> {
    if (!this.busy || this.jobId === null) return this.abandon(lost);
    await this.#settleFromQueue(lost);
  }

  /** A silent job (SILENT_MS without an event): the queue says whether it ended meanwhile. */
  async #poll(): Promise<void> {
    if (!this.busy || this.jobId === null || this.#polling) return;
    this.#polling = true;
    try {
      await this.#settleFromQueue(null);
    } finally {
      this.#polling = false;
      this.#lastEventAt = performance.now();
    }
  }

  /**
   * Reads the queue and follows the job (through its retries) as it stands there, ending it
   * as it ended. With `lost` (after a reconnect), a queue that cannot be read or no longer
   * knows the job, or a job it stopped without a result, fails the job; without (a silence),
   * only a job that ended done, cancelled or failed changes anything.
   */
  async #settleFromQueue(lost: ApiError | null): Promise<void> {
    let id = this.jobId as string;
    try {
      const jobs = await this.#client.call('jobs.list', {});
      for (let retry = jobs.find((j) => j.retryOf === id); retry; retry = jobs.find((j) => j.retryOf === id)) id = retry.id;
      const job = jobs.find((j) => j.id === id);
      // Events of the followed id may arrive while this runs; one that ended the job wins.
      if (!job || !this.busy) return lost === null ? undefined : this.abandon(lost);
      this.jobId = job.id;
      if (job.state === 'done' && job.resultRef !== null) {
        const result = await this.#calls.load(this.#client, job.resultRef);
        if (!this.busy) return;
        this.#finish('done');
        this.#outcomes.done(result, this.request as JobRequest<K>);
      } else if (job.state === 'cancelled') {
        this.#finish('cancelled');
        this.#outcomes.cancelled?.();
      } else if (job.state !== 'queued' && job.state !== 'running') {
        // After a silence only a failure ends it: an interrupted job may be retried yet.
        const error = lost === null ? (job.state === 'failed' ? job.error : null) : (job.error ?? lost);
        if (error) this.#fail(error);
      }
    } catch {
      // The back end cannot say what became of it: after a reconnect it is lost; after a silence, asked again later.
      if (lost !== null) this.abandon(lost);
    }
  }

  /** The back end went away mid-job (e.g. a server restart) and the job cannot be followed. */
  abandon(error: ApiError): void {
    if (this.busy) this.#fail(error);
  }

  /** Back to idle once a finished job's outcome has been seen (e.g. its dialog closed). */
  reset(): void {
    if (!this.busy) this.phase = 'idle';
  }

  #reset(request: JobRequest<K>): void {
    this.request = request;
    this.jobId = null;
    this.progress = null;
    this.error = null;
    this.cancelling = false;
    this.#anchor = null;
    this.#early = [];
    this.#cancelWanted = false;
    this.#startedAt = performance.now();
    this.#lastEventAt = this.#startedAt;
    this.elapsedMs = 0;
    this.#ticker = setInterval(() => {
      const now = performance.now();
      this.elapsedMs = now - this.#startedAt;
      if (now - this.#lastEventAt > SILENT_MS) void this.#poll();
    }, 100);
  }

  #onProgress(progress: JobProgress): void {
    this.progress = progress;
    if (progress.stage === 'denoise' && this.#anchor === null) {
      this.#anchor = { step: progress.step, elapsedMs: progress.elapsedMs };
    }
  }

  #fail(error: ApiError): void {
    this.#finish('failed');
    this.error = error;
    this.#outcomes.failed(error);
  }

  #finish(phase: 'done' | 'failed' | 'cancelled'): void {
    this.phase = phase;
    this.cancelling = false;
    if (this.#ticker !== null) clearInterval(this.#ticker);
    this.#ticker = null;
    this.elapsedMs = performance.now() - this.#startedAt;
  }
}
