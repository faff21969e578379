/**
 * One calibration run ('profiles.start'): it records every step of each prompt, so it takes a
 * while; it reports progress, can be cancelled (generate.cancel), and ends with profile.done,
 * job.failed or job.cancelled. Like JobState, events may arrive before the job id does.
 */
import type { JobProgress, StudioClient, StudioEvent } from '../../../contract/api';
import type { CacheProfileSummary, ProfileStartRequest } from '../../../contract/cache';
import type { ApiError } from '../../../contract/errors';
import { asApiError } from './client-error';
import { profilingPosition } from './profiling-progress';

export type ProfilingPhase = 'idle' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ProfilingOutcomes {
  done(profile: CacheProfileSummary): void;
  failed(error: ApiError): void;
}

export class ProfilingJob {
  phase = $state<ProfilingPhase>('idle');
  progress = $state.raw<JobProgress | null>(null);
  cancelling = $state(false);
  error = $state.raw<ApiError | null>(null);
  /** The run's shape, for "prompt i of n". */
  prompts = $state(0);
  steps = $state(0);

  readonly busy = $derived(this.phase === 'starting' || this.phase === 'running');
  readonly position = $derived(profilingPosition(this.progress, this.prompts, this.steps));

  #jobId: string | null = null;
  #early: StudioEvent[] = [];
  #cancelWanted = false;
  readonly #client: StudioClient;
  readonly #outcomes: ProfilingOutcomes;

  constructor(client: StudioClient, outcomes: ProfilingOutcomes) {
    this.#client = client;
    this.#outcomes = outcomes;
  }

  async start(request: ProfileStartRequest): Promise<void> {
    if (this.busy) return;
    this.phase = 'starting';
    this.progress = null;
    this.error = null;
    this.cancelling = false;
    this.prompts = request.prompts.length;
    this.steps = request.steps;
    this.#jobId = null;
    this.#early = [];
    this.#cancelWanted = false;
    try {
      const { jobId } = await this.#client.call('profiles.start', request);
      this.#jobId = jobId;
      this.phase = 'running';
      const early = this.#early;
      this.#early = [];
      for (const event of early) this.handle(event);
      if (this.#cancelWanted && this.busy) await this.cancel();
    } catch (err) {
      this.#fail(asApiError(err));
    }
  }

  async cancel(): Promise<void> {
    if (!this.busy || this.cancelling) return;
    this.cancelling = true;
    if (this.#jobId === null) {
      this.#cancelWanted = true;
      return;
    }
    try {
      await this.#client.call('generate.cancel', { jobId: this.#jobId });
    } catch (err) {
      this.cancelling = false;
      this.#fail(asApiError(err));
    }
  }

  /** Feed every studio event here; other jobs' events are ignored. */
  handle(event: StudioEvent): void {
    if (!this.busy) return;
    if (this.#jobId === null) {
      this.#early.push(event);
      return;
    }
    const eventJobId = event.type === 'job.progress' ? event.progress.jobId : event.jobId;
    if (eventJobId !== this.#jobId) return;
    switch (event.type) {
      case 'job.progress':
        this.progress = event.progress;
        break;
      case 'profile.done':
        this.phase = 'done';
        this.cancelling = false;
        this.#outcomes.done(event.profile);
        break;
      case 'job.failed':
        this.#fail(event.error);
        break;
      case 'job.cancelled':
        this.phase = 'cancelled';
        this.cancelling = false;
        break;
      case 'job.done':
        break;
    }
  }

  /** The back end went away mid-run; its events will never come. */
  abandon(error: ApiError): void {
    if (this.busy) this.#fail(error);
  }

  /** Back to idle once the dialog is closed after a finished run. */
  reset(): void {
    if (!this.busy) this.phase = 'idle';
  }

  #fail(error: ApiError): void {
    this.phase = 'failed';
    this.cancelling = false;
    this.error = error;
    this.#outcomes.failed(error);
  }
}
