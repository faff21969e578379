/**
 * Runs jobs one at a time, in the order they were started, and reports them as
 * `StudioEvent`s. A job is a generation (`start`, ends with job.done) or any other long task
 * that shares the machine, such as recording a cache calibration profile (`enqueue` with its
 * own terminal event, e.g. profile.done); both are cancelled through `cancel`.
 *
 * Why a FIFO of one: a diffusion model saturates every CPU core (and a GPU's memory), so
 * running two at once only makes both slower and doubles peak memory. Why events: a job
 * takes seconds to minutes, so `generate.start` answers with a job id at once and the UI
 * follows `job.progress` → `job.done | job.failed | job.cancelled`.
 *
 * Cancellation is cooperative (VS Code's CancellationToken, here an AbortSignal): a queued
 * job is dropped at once; a running one is aborted and the runner stops between steps,
 * rejecting with StudioError('CANCELLED').
 *
 * Ordering note for front ends: events for a job may arrive before the `generate.start`
 * response carrying its id (they travel on another channel), so buffer unknown ids briefly.
 */
import { randomUUID } from 'node:crypto';
import type { GenerateRequest, GenerationRecord, JobStage, StudioEvent } from '../../contract/api';
import { StudioError, toApiError } from '../../contract/errors';

/** What a runner reports: `step` finished denoising steps of `totalSteps`. */
export interface StageProgress {
  stage: JobStage;
  step: number;
  totalSteps: number;
}

export interface RunHooks {
  signal: AbortSignal;
  onProgress: (p: StageProgress) => void;
}

/** Does the work of one job; must reject with StudioError('CANCELLED') once `signal` aborts. */
export type JobRunner = (request: GenerateRequest, hooks: RunHooks) => Promise<GenerationRecord>;

export interface JobManagerOptions {
  run: JobRunner;
  /**
   * Minimum milliseconds between two progress events of one job (stage changes and the
   * last step are always sent). 33 ms caps a fast model at ~30 events/s, enough for a
   * smooth bar without flooding IPC or the WebSocket.
   */
  progressIntervalMs?: number;
  /** Where unexpected (INTERNAL) job errors are logged with their stack. */
  logError?: (message: string, err: unknown) => void;
}

/**
 * Queued work of any kind: `run` does it (rejecting with StudioError('CANCELLED') once the
 * signal aborts) and `done` turns its result into the job's terminal event.
 */
export interface JobWork<T> {
  /** For the 'queued' progress event. */
  totalSteps: number;
  run(hooks: RunHooks): Promise<T>;
  done(jobId: string, result: T): StudioEvent;
}

interface Job {
  readonly id: string;
  readonly work: JobWork<unknown>;
  readonly controller: AbortController;
}

export type JobListener = (event: StudioEvent) => void;

export class JobManager {
  readonly #run: JobRunner;
  readonly #intervalMs: number;
  readonly #logError: (message: string, err: unknown) => void;
  readonly #listeners = new Set<JobListener>();
  readonly #queue: Job[] = [];
  #running: { job: Job; done: Promise<void> } | undefined;
  #closed = false;

  constructor(options: JobManagerOptions) {
    this.#run = options.run;
    this.#intervalMs = options.progressIntervalMs ?? 33;
    this.#logError = options.logError ?? ((message, err) => console.error(message, err));
  }

  /** Adds a listener for every job's events; returns the unsubscribe function. */
  subscribe(listener: JobListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queues a (validated) generation request and returns its job id at once. */
  start(request: GenerateRequest): string {
    return this.enqueue<GenerationRecord>({
      totalSteps: request.steps,
      run: (hooks) => this.#run(request, hooks),
      done: (jobId, record) => ({ type: 'job.done', jobId, record }),
    });
  }

  /** Queues any work and returns its job id at once. */
  enqueue<T>(work: JobWork<T>): string {
    if (this.#closed) throw new StudioError('INTERNAL', 'The studio is shutting down; the job was not started.');
    const job: Job = { id: randomUUID(), work: work as JobWork<unknown>, controller: new AbortController() };
    this.#queue.push(job);
    this.#emit({ type: 'job.progress', progress: { jobId: job.id, stage: 'queued', step: 0, totalSteps: work.totalSteps, elapsedMs: 0 } });
    // Deferred so the caller can hand the id back before the job's first events.
    setImmediate(() => this.#pump());
    return job.id;
  }

  /**
   * Cancels a queued or running job. Returns false for an unknown or already finished id.
   * A running job reports `job.cancelled` once the runner has stopped.
   */
  cancel(jobId: string): boolean {
    const index = this.#queue.findIndex((j) => j.id === jobId);
    if (index >= 0) {
      const [job] = this.#queue.splice(index, 1);
      job?.controller.abort();
      this.#emit({ type: 'job.cancelled', jobId });
      return true;
    }
    if (this.#running?.job.id === jobId) {
      this.#running.job.controller.abort();
      return true;
    }
    return false;
  }

  /** Ids of jobs not yet finished, the running one first. */
  activeJobIds(): string[] {
    return [...(this.#running ? [this.#running.job.id] : []), ...this.#queue.map((j) => j.id)];
  }

  /** Cancels everything and waits for the running job to stop (so the store can close after). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of [...this.#queue]) this.cancel(job.id);
    const running = this.#running;
    if (running) {
      running.job.controller.abort();
      await running.done;
    }
  }

  #pump(): void {
    if (this.#running) return;
    const job = this.#queue.shift();
    if (!job) return;
    // The job leaves `#running` before its terminal event, so a listener reacting to
    // job.done sees it finished (cancel → false) and can start the next one.
    const done = this.#execute(job).then((terminal) => {
      this.#running = undefined;
      this.#emit(terminal);
      this.#pump();
    });
    this.#running = { job, done };
  }

  /** Runs one job; never rejects: resolves to its terminal event. */
  async #execute(job: Job): Promise<StudioEvent> {
    const started = performance.now();
    let lastStage: JobStage = 'queued';
    let lastEmit = -Infinity;
    const { signal } = job.controller;
    const onProgress = (p: StageProgress): void => {
      if (signal.aborted) return;
      const now = performance.now();
      const important = p.stage !== lastStage || p.step >= p.totalSteps;
      if (!important && now - lastEmit < this.#intervalMs) return;
      lastStage = p.stage;
      lastEmit = now;
      const elapsedMs = Math.round(now - started);
      this.#emit({ type: 'job.progress', progress: { jobId: job.id, stage: p.stage, step: p.step, totalSteps: p.totalSteps, elapsedMs } });
    };
    try {
      const result = await job.work.run({ signal, onProgress });
      // A job that finished despite a late cancel still saved its result: report it.
      return job.work.done(job.id, result);
    } catch (err) {
      if (signal.aborted || (err instanceof StudioError && err.code === 'CANCELLED')) {
        return { type: 'job.cancelled', jobId: job.id };
      }
      const error = toApiError(err);
      if (error.code === 'INTERNAL') this.#logError(`studio: job ${job.id} failed unexpectedly:`, err);
      return { type: 'job.failed', jobId: job.id, error };
    }
  }

  #emit(event: StudioEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        // One broken subscriber (a closed socket, a destroyed window) must not stop the others.
        this.#logError('studio: an event listener threw:', err);
      }
    }
  }
}
