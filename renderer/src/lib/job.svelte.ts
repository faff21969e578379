/**
 * The one generation job the UI follows. `start` only asks the back end for a job id;
 * everything after that arrives as events, so the page stays responsive however long the
 * job runs.
 */
import type { GenerateRequest, GenerationRecord, JobProgress, StudioClient, StudioEvent } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';
import { denoiseEtaMs, progressFraction, type RateAnchor } from './progress-math';

export type JobPhase = 'idle' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobOutcomes {
  /** `request` is what was sent for the job that made `record`. */
  done(record: GenerationRecord, request: GenerateRequest): void;
  failed(error: ApiError): void;
  cancelled(): void;
}

export class JobState {
  phase = $state<JobPhase>('idle');
  jobId = $state<string | null>(null);
  progress = $state.raw<JobProgress | null>(null);
  /** The request of the current (or last) job. */
  request = $state.raw<GenerateRequest | null>(null);
  cancelling = $state(false);
  /** Wall-clock ms since start, ticked while running so it moves even between events. */
  elapsedMs = $state(0);

  readonly busy = $derived(this.phase === 'starting' || this.phase === 'running');
  readonly fraction = $derived(this.phase === 'done' ? 1 : progressFraction(this.progress));

  #anchor = $state.raw<RateAnchor | null>(null);
  readonly etaMs = $derived(denoiseEtaMs(this.progress, this.#anchor));
  #startedAt = 0;
  #ticker: ReturnType<typeof setInterval> | null = null;
  /** Events that arrive before `generate.start` has answered with the id they belong to. */
  #early: StudioEvent[] = [];
  #cancelWanted = false;
  readonly #client: StudioClient;
  readonly #outcomes: JobOutcomes;

  constructor(client: StudioClient, outcomes: JobOutcomes) {
    this.#client = client;
    this.#outcomes = outcomes;
  }

  async start(request: GenerateRequest): Promise<void> {
    if (this.busy) return;
    this.phase = 'starting';
    this.request = request;
    this.jobId = null;
    this.progress = null;
    this.cancelling = false;
    this.#anchor = null;
    this.#early = [];
    this.#cancelWanted = false;
    this.#startedAt = performance.now();
    this.elapsedMs = 0;
    this.#ticker = setInterval(() => (this.elapsedMs = performance.now() - this.#startedAt), 100);
    try {
      const { jobId } = await this.#client.call('generate.start', request);
      this.jobId = jobId;
      this.phase = 'running';
      const early = this.#early;
      this.#early = [];
      for (const event of early) this.handle(event);
      if (this.#cancelWanted && this.busy) await this.cancel();
    } catch (err) {
      this.#finish('failed');
      this.#outcomes.failed(asApiError(err));
    }
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
      await this.#client.call('generate.cancel', { jobId: this.jobId });
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
    switch (event.type) {
      case 'job.progress':
        this.#onProgress(event.progress);
        break;
      case 'job.done':
        this.#finish('done');
        this.elapsedMs = event.record.timings.totalMs;
        this.#outcomes.done(event.record, this.request as GenerateRequest);
        break;
      case 'job.failed':
        this.#finish('failed');
        this.#outcomes.failed(event.error);
        break;
      case 'job.cancelled':
        this.#finish('cancelled');
        this.#outcomes.cancelled();
        break;
    }
  }

  /** The back end went away mid-job (e.g. a server restart): its events will never come. */
  abandon(error: ApiError): void {
    if (!this.busy) return;
    this.#finish('failed');
    this.#outcomes.failed(error);
  }

  #onProgress(progress: JobProgress): void {
    this.progress = progress;
    if (progress.stage === 'denoise' && this.#anchor === null) {
      this.#anchor = { step: progress.step, elapsedMs: progress.elapsedMs };
    }
  }

  #finish(phase: 'done' | 'failed' | 'cancelled'): void {
    this.phase = phase;
    this.cancelling = false;
    if (this.#ticker !== null) clearInterval(this.#ticker);
    this.#ticker = null;
    this.elapsedMs = performance.now() - this.#startedAt;
  }
}
