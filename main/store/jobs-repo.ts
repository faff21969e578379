/**
 * The job queue in SQLite (table jobs, migration 0003): insert, read, the state changes a
 * job goes through, and recovery after a crash. The SQL lives here and nowhere else.
 *
 * Every state change is a conditional UPDATE (`… WHERE state = 'running'`) that reports
 * whether it applied, because two processes write these rows: the parent (queue, cancel,
 * failure) and the worker (completion, in the same transaction as the result row). Whichever
 * comes second sees `false` and backs off, so a job ends exactly once.
 */
import type { Database, Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../contract/api';
import type { ApiError } from '../../contract/errors';
import { StudioError } from '../../contract/errors';
import type { JobKind, JobMove, JobState, JobSummary, JobsListQuery } from '../../contract/jobs';
import { storeError } from './store-error';

export interface NewJob {
  id: string;
  kind: JobKind;
  /** The validated request; stored as JSON. */
  request: unknown;
  totalSteps: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  attempt?: number;
  retryOf?: string;
}

/** The states a job ends in by the parent's hand (done is written by `complete`). */
export type EndState = 'failed' | 'cancelled' | 'interrupted';

export interface RecoveredJob {
  /** The job that was running when its process stopped, now interrupted. */
  interrupted: JobSummary;
  /** Its automatic retry, queued where it stood; absent when it was already a retry. */
  retry?: JobSummary;
}

export interface JobsRepo {
  insert(job: NewJob): JobSummary;
  get(id: string): JobSummary | undefined;
  /** Newest first. */
  list(query: JobsListQuery): JobSummary[];
  /** Queued jobs in the order they will run. */
  queued(): JobSummary[];
  /** Jobs marked running (one at most while a single process runs the queue). */
  running(): JobSummary[];
  /** The newest failed, cancelled or interrupted jobs that no job retries yet, newest first. */
  endedUnretried(limit: number): JobSummary[];
  /**
   * Moves a queued job in the run order; false when it is not queued or already at that end.
   * The queued jobs' sort keys are permuted among themselves, so a job queued later still
   * runs after all of them.
   */
  move(id: string, to: JobMove): boolean;
  /** queued → running; false when it was no longer queued. */
  start(id: string, at: string): boolean;
  /** Saves how far a running job got (so an interrupted job shows where it stopped). */
  setStep(id: string, step: number): void;
  /** running → done with the id of the result row; false when it was no longer running. */
  complete(id: string, resultRef: number, at: string): boolean;
  /** queued|running → failed|cancelled|interrupted; false when it had already ended. */
  end(id: string, state: EndState, error: ApiError | null, at: string): boolean;
  /**
   * After a crash: every job still marked running is interrupted with `reason`, and each
   * one that was a first attempt gets one automatic retry, queued in its place. One transaction.
   */
  recoverRunning(reason: string, at: string): RecoveredJob[];
  /** Interrupts one running job (the worker died under it) and queues its retry as above. */
  interrupt(id: string, reason: string, at: string): RecoveredJob | undefined;
}

/** Default page of jobs.list. */
export const DEFAULT_JOBS_PAGE = 50;
/** Automatic retries stop at this attempt: an interrupted job is retried once. */
const AUTO_RETRY_MAX_ATTEMPT = 2;

interface Row {
  seq: number;
  id: string;
  kind: string;
  request_json: string;
  state: JobState;
  step: number;
  total_steps: number;
  result_ref: number | null;
  error_json: string | null;
  attempt: number;
  retry_of: string | null;
  queue_pos: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const COLUMNS =
  'seq, id, kind, request_json, state, step, total_steps, result_ref, error_json, attempt, retry_of, queue_pos, created_at, started_at, finished_at';

export function createJobsRepo(db: Database, file: string): JobsRepo {
  const prepare = <T extends unknown[]>(sql: string): Statement<T, Row> => db.prepare<T, Row>(sql);
  const stmts = {
    insert: db.prepare(`
      INSERT INTO jobs (id, kind, request_json, state, total_steps, attempt, retry_of, queue_pos, created_at)
      VALUES (@id, @kind, @requestJson, 'queued', @totalSteps, @attempt, @retryOf, @queuePos, @createdAt)`),
    get: prepare<[string]>(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`),
    list: prepare<[number]>(`SELECT ${COLUMNS} FROM jobs ORDER BY seq DESC LIMIT ?`),
    listState: prepare<[string, number]>(`SELECT ${COLUMNS} FROM jobs WHERE state = ? ORDER BY seq DESC LIMIT ?`),
    queued: prepare<[]>(`SELECT ${COLUMNS} FROM jobs WHERE state = 'queued' ORDER BY COALESCE(queue_pos, seq), seq`),
    running: prepare<[]>(`SELECT ${COLUMNS} FROM jobs WHERE state = 'running' ORDER BY seq`),
    endedUnretried: prepare<[number]>(
      `SELECT ${COLUMNS} FROM jobs j WHERE state IN ('failed', 'cancelled', 'interrupted')
         AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.retry_of = j.id) ORDER BY seq DESC LIMIT ?`,
    ),
    setQueuePos: db.prepare<[number, string]>(`UPDATE jobs SET queue_pos = ? WHERE id = ? AND state = 'queued'`),
    start: db.prepare<[string, string]>(`UPDATE jobs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'`),
    setStep: db.prepare<[number, string]>(`UPDATE jobs SET step = ? WHERE id = ? AND state = 'running'`),
    complete: db.prepare<[number, string, string]>(
      `UPDATE jobs SET state = 'done', result_ref = ?, step = total_steps, error_json = NULL, finished_at = ? WHERE id = ? AND state = 'running'`,
    ),
    end: db.prepare<[string, string | null, string, string]>(
      `UPDATE jobs SET state = ?, error_json = ?, finished_at = ? WHERE id = ? AND state IN ('queued', 'running')`,
    ),
  };
  const guarded = <T>(op: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw storeError(op, file, err);
    }
  };

  function toSummary(row: Row): JobSummary {
    try {
      return {
        id: row.id,
        kind: row.kind as JobKind,
        request: JSON.parse(row.request_json) as never,
        state: row.state,
        step: row.step,
        totalSteps: row.total_steps,
        resultRef: row.result_ref,
        error: row.error_json === null ? null : (JSON.parse(row.error_json) as ApiError),
        attempt: row.attempt,
        retryOf: row.retry_of,
        createdAt: row.created_at,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
      };
    } catch (err) {
      throw new StudioError('STORE', `The history database at ${file} is corrupt: job ${row.id} holds unreadable JSON (${(err as Error).message}).`, file);
    }
  }

  function insertRow(job: NewJob, queuePos: number | null): JobSummary {
    stmts.insert.run({
      id: job.id,
      kind: job.kind,
      requestJson: JSON.stringify(job.request),
      totalSteps: job.totalSteps,
      attempt: job.attempt ?? 1,
      retryOf: job.retryOf ?? null,
      queuePos,
      createdAt: job.createdAt,
    });
    return toSummary(stmts.get.get(job.id) as Row);
  }

  /** Interrupts `row` and queues its automatic retry; runs inside a caller's transaction. */
  function interruptRow(row: Row, reason: string, at: string): RecoveredJob {
    const error: ApiError = { code: 'INTERNAL', message: reason };
    stmts.end.run('interrupted', JSON.stringify(error), at, row.id);
    const interrupted = toSummary(stmts.get.get(row.id) as Row);
    if (row.attempt >= AUTO_RETRY_MAX_ATTEMPT) return { interrupted };
    const retry = insertRow(
      {
        id: randomUUID(),
        kind: row.kind as JobKind,
        request: JSON.parse(row.request_json),
        totalSteps: row.total_steps,
        createdAt: at,
        attempt: row.attempt + 1,
        retryOf: row.id,
      },
      row.queue_pos ?? row.seq,
    );
    return { interrupted, retry };
  }

  /** Reorders the queue inside one transaction; see JobsRepo.move. */
  const moveOne = db.transaction((id: string, to: JobMove): boolean => {
    const rows = stmts.queued.all();
    const from = rows.findIndex((row) => row.id === id);
    if (from < 0) return false;
    const target = to === 'first' ? 0 : to === 'last' ? rows.length - 1 : to === 'up' ? from - 1 : from + 1;
    if (target < 0 || target >= rows.length || target === from) return false;
    const keys = rows.map((row) => row.queue_pos ?? row.seq);
    const order = rows.filter((row) => row.id !== id);
    order.splice(target, 0, rows[from] as Row);
    // Equal keys (never made by this code, but the column allows them) would leave the
    // order to seq, so each key is made larger than the one before it.
    let previous = -Infinity;
    order.forEach((row, i) => {
      const key = Math.max(keys[i] as number, previous + 1);
      previous = key;
      if (key !== (row.queue_pos ?? row.seq) || row.queue_pos === null) stmts.setQueuePos.run(key, row.id);
    });
    return true;
  });

  const recoverAll = db.transaction((reason: string, at: string) => stmts.running.all().map((row) => interruptRow(row, reason, at)));
  const interruptOne = db.transaction((id: string, reason: string, at: string) => {
    const row = stmts.get.get(id);
    return row?.state === 'running' ? interruptRow(row, reason, at) : undefined;
  });

  return {
    insert: (job) => guarded('queueing a job', () => insertRow(job, null)),
    get(id) {
      const row = guarded('reading a job', () => stmts.get.get(id));
      return row === undefined ? undefined : toSummary(row);
    },
    list(query) {
      const limit = Math.min(query.limit ?? DEFAULT_JOBS_PAGE, LIMITS.historyPageMax);
      const rows = guarded('listing jobs', () => (query.state === undefined ? stmts.list.all(limit) : stmts.listState.all(query.state, limit)));
      return rows.map(toSummary);
    },
    queued: () => guarded('reading the job queue', () => stmts.queued.all()).map(toSummary),
    running: () => guarded('reading the job queue', () => stmts.running.all()).map(toSummary),
    endedUnretried: (limit) => guarded('reading the job queue', () => stmts.endedUnretried.all(limit)).map(toSummary),
    move: (id, to) => guarded('reordering the job queue', () => moveOne.immediate(id, to)),
    start: (id, at) => guarded('starting a job', () => stmts.start.run(at, id)).changes > 0,
    setStep(id, step) {
      guarded('saving job progress', () => stmts.setStep.run(step, id));
    },
    complete: (id, resultRef, at) => guarded('completing a job', () => stmts.complete.run(resultRef, at, id)).changes > 0,
    end: (id, state, error, at) =>
      guarded('ending a job', () => stmts.end.run(state, error === null ? null : JSON.stringify(error), at, id)).changes > 0,
    recoverRunning: (reason, at) => guarded('recovering interrupted jobs', () => recoverAll.immediate(reason, at)),
    interrupt: (id, reason, at) => guarded('interrupting a job', () => interruptOne.immediate(id, reason, at)),
  };
}
