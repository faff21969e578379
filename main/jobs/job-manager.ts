/**
 * The studio's job queue: jobs of every kind (job-kinds.ts) run one at a time, in the order
 * they were queued, in a worker process, and are reported as `StudioEvent`s.
 *
 * Why a FIFO of one: a diffusion model saturates every CPU core (and a GPU's memory), so two
 * at once only makes both slower and doubles peak memory. Why a worker process: inference
 * then never blocks the process that answers the UI (Electron main, or browser mode's event
 * loop); this process keeps the API, reads the store and relays the worker's progress.
 *
 * The queue lives in SQLite (jobs-repo.ts), so it survives a crash or a restart:
 * - One process at a time runs it (queue-lock.ts); another studio on the same store is told so.
 * - Taking the queue (`resume()` at start-up) marks jobs a dead process left running as
 *   interrupted (with the reason) and retries each once, in its place; queued jobs then run on.
 * - If the worker dies under a job, that job is interrupted and retried once the same way,
 *   and the next job runs on a fresh worker.
 * - The worker marks a job done in the transaction that stores its result, so a crash can
 *   neither lose a finished job nor make its retry store a second result.
 *
 * The run order is the order of queueing unless jobs.move changed it (a queue_pos key per
 * job, jobs-repo.ts); an automatic retry takes its interrupted job's place.
 *
 * Cancellation is cooperative: a queued job is dropped at once; a running one gets a cancel
 * message, the worker aborts its AbortSignal and the sampler stops before the next step.
 * Every job ends with one of job.done (its kind and result), job.failed, job.cancelled, or
 * job.retried (interrupted; the retry carries on under a new id).
 *
 * Ordering note for front ends: events for a job may arrive before the call that returns its
 * id (they travel on another channel), so buffer unknown ids briefly.
 */
import { randomUUID } from 'node:crypto';
import type { JobProgress, StudioEvent } from '../../contract/api';
import { StudioError, toApiError } from '../../contract/errors';
import { JOB_QUEUE_ENDED_MAX, type JobKind, type JobMove, type JobQueue, type JobRequest, type JobSummary, type JobsListQuery } from '../../contract/jobs';
import type { RecoveredJob } from '../store/jobs-repo';
import type { StudioDb } from '../store/studio-db';
import { interruptedEvent, terminalEvent } from './job-events';
import { kindSpec } from './job-kinds';
import type { QueueLock } from './queue-lock';
import type { SpawnWorker, WorkerChannel } from './worker-channel';
import type { JobOutcome, WorkerInit, WorkerMessage } from './worker-protocol';

export interface JobManagerOptions {
  /** The store (opened lazily by the service; may throw StudioError('STORE')). */
  store: () => StudioDb;
  spawnWorker: SpawnWorker;
  /** Held while this manager runs the queue (see queue-lock.ts). */
  lock: QueueLock;
  /** Sent to every worker it starts. */
  init: WorkerInit;
  /** Where unexpected errors are logged with their stack. */
  logError?: (message: string, err: unknown) => void;
  now?: () => Date;
}

export type JobListener = (event: StudioEvent) => void;

interface RunningJob {
  readonly id: string;
  progress: JobProgress | undefined;
  /** performance.now() of the last step saved to the store. */
  savedAt: number;
  /** The user asked to cancel it (close() stopping it does not count). */
  cancelSent: boolean;
}

/** How often a running job's step is saved, in ms: enough to show where an interrupted job stopped. */
const SAVE_STEP_INTERVAL_MS = 1000;
/** How long close() lets a running job stop by itself before killing the worker, in ms. */
const CLOSE_GRACE_MS = 10_000;
const CRASH_REASON = 'The studio stopped while this job ran (it crashed, was killed, or the machine went down).';
const CLOSED_REASON = 'The studio was closed while this job ran.';
const RETRYABLE: readonly string[] = ['failed', 'cancelled', 'interrupted'];

export class JobManager {
  readonly #store: () => StudioDb;
  readonly #spawn: SpawnWorker;
  readonly #lock: QueueLock;
  readonly #init: WorkerInit;
  readonly #logError: (message: string, err: unknown) => void;
  readonly #now: () => Date;
  readonly #listeners = new Set<JobListener>();
  #worker: WorkerChannel | undefined;
  #running: RunningJob | undefined;
  #pumpScheduled = false;
  #closed = false;
  /** Holds the queue lock: runs the queue. */
  #owner = false;
  /** Resolves close()'s wait once the running job has settled. */
  #onIdle: (() => void) | undefined;

  constructor(options: JobManagerOptions) {
    this.#store = options.store;
    this.#spawn = options.spawnWorker;
    this.#lock = options.lock;
    this.#init = options.init;
    this.#logError = options.logError ?? ((message, err) => console.error(message, err));
    this.#now = options.now ?? (() => new Date());
  }

  /** Adds a listener for every job's events; returns the unsubscribe function. */
  subscribe(listener: JobListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Takes the queue and picks up where a previous process stopped: jobs it left running are
   * interrupted and retried once; queued jobs start running. Call once, at start-up.
   * @returns the recovered jobs; undefined when another studio process runs the queue
   */
  resume(): RecoveredJob[] | undefined {
    const recovered = this.#takeQueue();
    if (!recovered) console.error(`studio: another studio process runs the jobs of this store (${this.#lock.file} is locked); this one starts none until it stops`);
    return recovered;
  }

  /** Queues a validated request and returns the new job's row at once. */
  enqueue<K extends JobKind>(kind: K, request: JobRequest<K>, retryOf?: JobSummary): JobSummary {
    if (this.#closed) throw new StudioError('INTERNAL', 'The studio is shutting down; the job was not started.');
    if (!this.#takeQueue()) {
      throw new StudioError(
        'STORE',
        `Another Diffusion Studio (the desktop app or another browser-mode server) is running the jobs of ${this.#init.paths.home}. Start the job there, or close it and try again.`,
        this.#lock.file,
      );
    }
    const totalSteps = kindSpec(kind).totalSteps(request);
    const job = this.#store().jobs.insert({
      id: randomUUID(),
      kind,
      request,
      totalSteps,
      createdAt: this.#at(),
      ...(retryOf ? { retryOf: retryOf.id, attempt: retryOf.attempt + 1 } : {}),
    });
    this.#emit({ type: 'job.progress', progress: { jobId: job.id, stage: 'queued', step: 0, totalSteps, elapsedMs: 0 } });
    this.#schedulePump();
    return job;
  }

  /** Queues a failed, cancelled or interrupted job's request again, as a new job. */
  retry(jobId: string): JobSummary {
    const job = this.#store().jobs.get(jobId);
    if (!job) throw new StudioError('JOB_NOT_FOUND', `There is no job ${jobId}.`, 'jobId');
    if (!RETRYABLE.includes(job.state)) {
      throw new StudioError('INVALID_REQUEST', `Job ${jobId} is ${job.state}; only a failed, cancelled or interrupted job can be retried.`, 'jobId');
    }
    return this.enqueue(job.kind, job.request, job);
  }

  /**
   * Cancels a queued or running job. Returns false for an unknown or finished id. A running
   * job reports `job.cancelled` once the worker has stopped it.
   */
  cancel(jobId: string): boolean {
    const running = this.#running;
    if (running?.id === jobId) {
      if (!running.cancelSent) this.#worker?.send({ type: 'cancel', jobId });
      running.cancelSent = true;
      return true;
    }
    const db = this.#store();
    if (db.jobs.get(jobId)?.state !== 'queued' || !db.jobs.end(jobId, 'cancelled', null, this.#at())) return false;
    this.#emit({ type: 'job.cancelled', jobId });
    return true;
  }

  /**
   * Moves a queued job in the run order (the running job stays where it is). Returns false
   * when it is not queued any more or is already there.
   */
  move(jobId: string, to: JobMove): boolean {
    const db = this.#store();
    const job = db.jobs.get(jobId);
    if (!job) throw new StudioError('JOB_NOT_FOUND', `There is no job ${jobId}.`, 'jobId');
    const moved = db.jobs.move(jobId, to);
    if (moved) this.#emit({ type: 'job.moved', jobId });
    return moved;
  }

  /** The running job, then the queued ones in run order; and the newest that ended without a result and were not retried. */
  queue(): JobQueue {
    const db = this.#store();
    const active = [...db.jobs.running(), ...db.jobs.queued()].map((job) => this.#withLiveStep(job));
    return { active, ended: db.jobs.endedUnretried(JOB_QUEUE_ENDED_MAX) };
  }

  /** Jobs newest first; the running one shows its live step. */
  list(query: JobsListQuery): JobSummary[] {
    return this.#store()
      .jobs.list(query)
      .map((job) => this.#withLiveStep(job));
  }

  #withLiveStep(job: JobSummary): JobSummary {
    const live = this.#running?.progress;
    return live && job.id === live.jobId && job.state === 'running' ? { ...job, step: live.step } : job;
  }

  /**
   * Stops taking jobs, lets the running one stop (it is recorded as interrupted and retried
   * at the next start), ends the worker. Queued jobs stay queued for the next start.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const running = this.#running;
    if (running && this.#worker) {
      const idle = new Promise<void>((resolve) => (this.#onIdle = resolve));
      this.#worker.send({ type: 'cancel', jobId: running.id });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
      if (this.#running) this.#settleInterrupted(this.#running.id, CLOSED_REASON);
    }
    this.#worker?.kill();
    this.#worker = undefined;
    this.#lock.release();
    this.#owner = false;
  }

  /**
   * Holds the queue, taking it if it is free (recovering what a dead owner left running).
   * @returns the jobs recovered now (empty when it was already held); undefined when another process holds it
   */
  #takeQueue(): RecoveredJob[] | undefined {
    if (this.#owner) return [];
    // Opened first: a store that cannot open fails the call before the queue is taken.
    const db = this.#store();
    if (!this.#lock.tryAcquire()) return undefined;
    let recovered: RecoveredJob[];
    try {
      recovered = db.jobs.recoverRunning(CRASH_REASON, this.#at());
    } catch (err) {
      // Not taken: the next call tries again, recovery included.
      this.#lock.release();
      throw err;
    }
    this.#owner = true;
    for (const r of recovered) {
      const next = r.retry ? `retrying it as job ${r.retry.id}` : 'it was already a retry, so it is not run again';
      console.error(`studio: job ${r.interrupted.id} (${r.interrupted.kind}) was interrupted by the last shutdown; ${next}`);
      this.#emit(interruptedEvent(r));
    }
    this.#schedulePump();
    return recovered;
  }

  #at(): string {
    return this.#now().toISOString();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // Deferred so a caller hands the job id back before the job's first events.
    setImmediate(() => {
      this.#pumpScheduled = false;
      try {
        this.#pump();
      } catch (err) {
        this.#logError('studio: could not start the next job:', err);
      }
    });
  }

  #pump(): void {
    if (this.#running || this.#closed || !this.#owner) return;
    const db = this.#store();
    for (const job of db.jobs.queued()) {
      // Another studio process on the same store may have taken it first.
      if (!db.jobs.start(job.id, this.#at())) continue;
      this.#running = { id: job.id, progress: undefined, savedAt: performance.now(), cancelSent: false };
      let worker: WorkerChannel;
      try {
        worker = this.#ensureWorker();
      } catch (err) {
        this.#settle(job.id, { outcome: 'failed', error: toApiError(err) });
        return;
      }
      worker.send({ type: 'run', jobId: job.id, kind: job.kind, request: job.request });
      return;
    }
  }

  #ensureWorker(): WorkerChannel {
    if (this.#worker) return this.#worker;
    const worker = this.#spawn();
    worker.onMessage((message) => {
      if (worker === this.#worker) this.#onMessage(message);
    });
    worker.onExit((how) => {
      if (worker !== this.#worker) return;
      this.#worker = undefined;
      if (this.#running) this.#settleInterrupted(this.#running.id, `The job worker process stopped (${how}) while this job ran.`);
    });
    worker.send({ type: 'init', init: this.#init });
    this.#worker = worker;
    return worker;
  }

  #onMessage(message: WorkerMessage): void {
    const running = this.#running;
    if (message.type === 'progress') {
      if (running?.id !== message.progress.jobId) return;
      running.progress = message.progress;
      if (performance.now() - running.savedAt >= SAVE_STEP_INTERVAL_MS) {
        running.savedAt = performance.now();
        this.#guard('saving job progress', () => this.#store().jobs.setStep(running.id, message.progress.step));
      }
      this.#emit({ type: 'job.progress', progress: message.progress });
      return;
    }
    if (message.type === 'preview') {
      if (running?.id === message.preview.jobId) this.#emit({ type: 'job.preview', ...message.preview });
      return;
    }
    if (running?.id === message.jobId) this.#settle(message.jobId, message);
  }

  /** Records how a running job ended and reports it; then the next job may start. */
  #settle(jobId: string, result: JobOutcome): void {
    // Stopped by close(), not by the user: it runs again at the next start.
    if (this.#closed && result.outcome === 'cancelled' && !this.#running?.cancelSent) return this.#settleInterrupted(jobId, CLOSED_REASON);
    const event = this.#guard('finishing a job', () => this.#record(jobId, result));
    this.#afterSettle(event);
  }

  #record(jobId: string, result: JobOutcome): StudioEvent {
    const db = this.#store();
    const at = this.#at();
    if (result.outcome === 'cancelled') db.jobs.end(jobId, 'cancelled', null, at);
    if (result.outcome === 'failed') db.jobs.end(jobId, 'failed', result.error, at);
    if (result.outcome === 'done' && db.jobs.get(jobId)?.state === 'running') {
      db.jobs.end(jobId, 'failed', { code: 'INTERNAL', message: 'The job finished without storing its result.' }, at);
    }
    // The stored state wins: e.g. a job that completed just as it was cancelled is done.
    return terminalEvent(this.#store(), jobId);
  }

  #settleInterrupted(jobId: string, reason: string): void {
    const event = this.#guard('interrupting a job', () => {
      const recovered = this.#store().jobs.interrupt(jobId, reason, this.#at());
      return recovered ? interruptedEvent(recovered) : terminalEvent(this.#store(), jobId);
    });
    this.#afterSettle(event);
  }

  #afterSettle(event: StudioEvent | undefined): void {
    // The job leaves #running before its terminal event, so a listener reacting to it sees
    // it finished (cancel → false) and can start the next one.
    const jobId = this.#running?.id;
    this.#running = undefined;
    if (event) this.#emit(event);
    else if (jobId) this.#emit({ type: 'job.failed', jobId, error: { code: 'STORE', message: 'The job ended, but the store could not record it.' } });
    this.#onIdle?.();
    this.#schedulePump();
  }

  #guard<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.#logError(`studio: ${what} failed:`, err);
      return undefined;
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
