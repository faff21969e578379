/**
 * The generations this page follows: every one it queued (Generate, a batch, an A/B twin, a
 * retry), and those the back end already had when the page loaded. Each is its own
 * TrackedJob, so pressing Generate while a job runs simply queues another.
 *
 * `focus` is the one the Generate bar shows and Cancel / Esc act on: the job that is running,
 * else the next one queued, else the last one that ended.
 */
import type { GenerateRequest, GenerationRecord, StudioClient, StudioEvent } from '../../../contract/api';
import type { ApiError } from '../../../contract/errors';
import type { JobSummary } from '../../../contract/jobs';
import { TrackedJob, type JobCalls, type JobOutcomes } from './tracked-job.svelte';

type GenerateOutcomes = JobOutcomes<'generate'>;

const loadRecord = (c: StudioClient, id: number): Promise<GenerationRecord> => c.call('history.get', { id });

export class GenerateJobs {
  /** In the order this page queued or found them; ended ones are dropped when the next starts. */
  #jobs = $state.raw<TrackedJob<'generate'>[]>([]);
  /** Shown before the first job: an idle bar. */
  readonly #idle: TrackedJob<'generate'>;
  readonly #client: StudioClient;

  readonly #focus: TrackedJob<'generate'> | null = $derived(
    this.#jobs.find((j) => j.busy && j.progress !== null && j.progress.stage !== 'queued') ??
      this.#jobs.find((j) => j.busy) ??
      this.#jobs.at(-1) ??
      null,
  );
  /** How many of this page's jobs are queued or running. */
  readonly pending = $derived(this.#jobs.filter((j) => j.busy).length);

  get focus(): TrackedJob<'generate'> {
    return this.#focus ?? this.#idle;
  }

  constructor(client: StudioClient) {
    this.#client = client;
    this.#idle = this.#track(startCall, { done: () => {}, failed: () => {} });
  }

  /** Queues a generation; resolves once the back end has it (or refused it). */
  async start(request: GenerateRequest, outcomes: GenerateOutcomes): Promise<void> {
    await this.#add(startCall, outcomes).start(request);
  }

  /** Queues an ended job's request again (jobs.retry) and follows the new job. */
  async retry(job: JobSummary & { kind: 'generate' }, outcomes: GenerateOutcomes): Promise<void> {
    await this.#add({ start: (c) => c.call('jobs.retry', { jobId: job.id }), load: loadRecord }, outcomes).start(job.request);
  }

  /** Follows generations the back end had before this page knew of them (a reload, another window). */
  adopt(jobs: readonly JobSummary[], outcomes: GenerateOutcomes): void {
    for (const job of jobs) {
      if (job.kind !== 'generate' || this.follows(job.id)) continue;
      const progress = job.state === 'running' ? { jobId: job.id, stage: 'denoise' as const, step: job.step, totalSteps: job.totalSteps, elapsedMs: 0 } : null;
      this.#add(startCall, outcomes).follow(job.id, job.request, progress);
    }
  }

  /** Whether one of this page's busy jobs is `jobId`. */
  follows(jobId: string): boolean {
    return this.#jobs.some((j) => j.busy && j.jobId === jobId);
  }

  handle(event: StudioEvent): void {
    for (const job of this.#jobs) job.handle(event);
  }

  /** After a reconnect: each busy job finds out what became of it (see TrackedJob.resync). */
  async resync(lost: ApiError): Promise<void> {
    await Promise.all(this.#jobs.map((j) => j.resync(lost)));
  }

  #add(calls: JobCalls<'generate'>, outcomes: GenerateOutcomes): TrackedJob<'generate'> {
    const job = this.#track(calls, outcomes);
    this.#jobs = [...this.#jobs.filter((j) => j.busy), job];
    return job;
  }

  #track(calls: JobCalls<'generate'>, outcomes: GenerateOutcomes): TrackedJob<'generate'> {
    return new TrackedJob('generate', this.#client, calls, outcomes);
  }
}

const startCall: JobCalls<'generate'> = {
  start: (c, request) => c.call('generate.start', request),
  load: loadRecord,
};
