/**
 * The job queue with its real parts: a SQLite store in a temp folder, the worker process
 * built from the current source, and the tiny pipeline. Every wait is for an event (a step
 * reported, a job ended), never for a length of time, so a faster machine cannot make a
 * test skip past what it checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GenerateRequest, GenerationRecord, StudioEvent } from '../../../contract/api';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { JobManager } from '../../../main/jobs/job-manager';
import { forkNodeWorker } from '../../../main/jobs/node-worker';
import { queueLock } from '../../../main/jobs/queue-lock';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { testWorkerScript } from '../../helpers/job-worker';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { EventLog } from '../../helpers/event-log';

const request = (seed: number, steps = 4, model = 'tiny'): GenerateRequest => ({
  prompt: `job ${seed}`, negativePrompt: '', steps, cfg: 2, seed, model, provider: 'cpu', scheduler: 'euler',
});

let paths: StudioPaths;
let db: StudioDb;
/** Process ids of every worker started, in order. */
let pids: number[];
const managers: JobManager[] = [];

function manager(script = testWorkerScript()): { jobs: JobManager; log: EventLog } {
  const jobs = new JobManager({
    store: () => db,
    spawnWorker: () => {
      const worker = forkNodeWorker(script);
      pids.push(worker.pid ?? -1);
      return worker;
    },
    lock: queueLock(path.join(paths.home, 'jobs.lock')),
    init: { paths, appVersion: 'test', bundledModelsDir: BUNDLED_PIPELINES, progressIntervalMs: 0 },
    logError: () => undefined,
  });
  const log = new EventLog();
  jobs.subscribe(log.push);
  managers.push(jobs);
  return { jobs, log };
}

function resultOf(event: StudioEvent): GenerationRecord {
  if (event.type !== 'job.done' || event.kind !== 'generate') throw new Error(`expected job.done of a generation, got ${JSON.stringify(event)}`);
  return event.result;
}

beforeEach(() => {
  paths = studioPaths(tempDir('studio-jobs-'));
  db = openStudioDb(paths.db);
  pids = [];
});
afterEach(async () => {
  for (const jobs of managers.splice(0)) await jobs.close();
  db.close();
  cleanupTempDirs();
});

describe('JobManager', () => {
  it('runs jobs one at a time in FIFO order, each ending with job.done and its stored result', async () => {
    const { jobs, log } = manager();
    const ids = [1, 2, 3].map((seed) => jobs.enqueue('generate', request(seed)).id);
    expect(jobs.list({}).map((j) => [j.id, j.state])).toEqual(ids.reverse().map((id) => [id, 'queued']));
    ids.reverse();
    const records = await Promise.all(ids.map(async (id) => resultOf(await log.terminal(id))));
    expect(records.map((r) => r.recipe.seed)).toEqual([1, 2, 3]);

    // Each job started only after the one before it ended.
    const order = log.events.flatMap((e) => (e.type === 'job.done' ? [`done:${e.jobId}`] : e.type === 'job.progress' && e.progress.stage === 'load' ? [`load:${e.progress.jobId}`] : []));
    expect(order).toEqual(ids.flatMap((id) => [`load:${id}`, `done:${id}`]));
    expect(jobs.list({}).map((j) => [j.state, j.resultRef])).toEqual([...records].reverse().map((r) => ['done', r.id]));
    expect(db.history.list({}).map((r) => r.id)).toEqual([...records].reverse().map((r) => r.id));
    expect(pids).toHaveLength(1);
  });

  it('cancels a queued job without running it', async () => {
    const { jobs, log } = manager();
    const first = jobs.enqueue('generate', request(1)).id;
    const second = jobs.enqueue('generate', request(2)).id;
    expect(jobs.cancel(second)).toBe(true);
    expect(await log.terminal(second)).toEqual({ type: 'job.cancelled', jobId: second });
    resultOf(await log.terminal(first));
    expect(log.progressOf(second).map((p) => p.stage)).toEqual(['queued']);
    expect(db.jobs.get(second)).toMatchObject({ state: 'cancelled', startedAt: null });
    expect(jobs.cancel(second)).toBe(false);
    expect(jobs.cancel('no-such-job')).toBe(false);
  });

  it('stops a running job once it reported step 3, stores nothing, and runs the next', async () => {
    const { jobs, log } = manager();
    const long = jobs.enqueue('generate', request(1, 1000)).id;
    const next = jobs.enqueue('generate', request(2)).id;
    const seen = await log.progressAt(long, 'denoise', 3);
    // jobs.list shows the running job at least as far as its last event.
    const [running] = jobs.list({ state: 'running' });
    expect(running?.id).toBe(long);
    expect(running?.step).toBeGreaterThanOrEqual(seen.step);
    expect(jobs.cancel(long)).toBe(true);
    expect(await log.terminal(long)).toEqual({ type: 'job.cancelled', jobId: long });
    const steps = log.progressOf(long).map((p) => p.step);
    expect(Math.max(...steps)).toBeLessThan(1000);
    resultOf(await log.terminal(next));
    expect(db.history.list({}).map((r) => r.recipe.seed)).toEqual([2]);
    expect(db.jobs.get(long)).toMatchObject({ state: 'cancelled', resultRef: null });
  });

  it('reports a failing job with its error and goes on with the next', async () => {
    const { jobs, log } = manager();
    const bad = jobs.enqueue('generate', request(1, 4, 'no-such-model')).id;
    const good = jobs.enqueue('generate', request(2)).id;
    expect(await log.terminal(bad)).toMatchObject({ type: 'job.failed', jobId: bad, error: { code: 'MODEL_NOT_FOUND' } });
    resultOf(await log.terminal(good));
    expect(db.jobs.get(bad)).toMatchObject({ state: 'failed', error: { code: 'MODEL_NOT_FOUND' } });
  });

  it('interrupts the job of a worker that died, retries it once on a fresh worker, then gives up on it', async () => {
    const { jobs, log } = manager();
    const doomed = jobs.enqueue('generate', request(1, 1000)).id;
    const after = jobs.enqueue('generate', request(2)).id;

    await log.progressAt(doomed, 'denoise', 3);
    process.kill(pids[0] ?? -1, 'SIGKILL');
    const retried = await log.terminal(doomed);
    if (retried.type !== 'job.retried') throw new Error(`expected job.retried, got ${JSON.stringify(retried)}`);
    expect(retried.reason).toBe('The job worker process stopped (signal SIGKILL) while this job ran.');
    expect(db.jobs.get(doomed)).toMatchObject({ state: 'interrupted', error: { message: retried.reason } });

    // The retry runs before the job queued after it, on a new worker; killed too, it is not retried again.
    await log.progressAt(retried.retryId, 'denoise', 3);
    expect(pids).toHaveLength(2);
    process.kill(pids[1] ?? -1, 'SIGKILL');
    const gaveUp = await log.terminal(retried.retryId);
    expect(gaveUp).toMatchObject({ type: 'job.failed', error: { code: 'INTERNAL', message: expect.stringMatching(/signal SIGKILL.*already been retried once/) } });
    expect(db.jobs.get(retried.retryId)).toMatchObject({ state: 'interrupted', attempt: 2, retryOf: doomed });

    expect(resultOf(await log.terminal(after)).recipe.seed).toBe(2);
    expect(pids).toHaveLength(3);
    expect(db.history.list({}).map((r) => r.recipe.seed)).toEqual([2]);
  });

  it('keeps queued jobs over a close, retries the one it stopped, and finishes them all after resume()', async () => {
    const first = manager();
    const ids = [1, 2, 3].map((seed) => first.jobs.enqueue('generate', request(seed, seed === 1 ? 1000 : 4)).id);
    await first.log.progressAt(ids[0] ?? '', 'denoise', 3);
    await first.jobs.close();
    const stopped = await first.log.terminal(ids[0] ?? '');
    if (stopped.type !== 'job.retried') throw new Error(`expected job.retried, got ${JSON.stringify(stopped)}`);
    expect(stopped.reason).toBe('The studio was closed while this job ran.');
    expect(db.jobs.queued().map((j) => j.id)).toEqual([stopped.retryId, ids[1], ids[2]]);

    const second = manager();
    expect(second.jobs.resume()).toEqual([]);
    for (const id of [stopped.retryId, ids[1], ids[2]]) resultOf(await second.log.terminal(id ?? '', 120_000));
    expect(db.history.list({}).map((r) => r.recipe.seed).sort()).toEqual([1, 2, 3]);
  });

  it('a job the user cancelled just before a close stays cancelled, not retried', async () => {
    const { jobs, log } = manager();
    const id = jobs.enqueue('generate', request(1, 1000)).id;
    await log.progressAt(id, 'denoise', 3);
    expect(jobs.cancel(id)).toBe(true);
    await jobs.close();
    expect(await log.terminal(id)).toEqual({ type: 'job.cancelled', jobId: id });
    expect(db.jobs.get(id)).toMatchObject({ state: 'cancelled' });
    expect(db.jobs.queued()).toEqual([]);
  });

  it('runs the queue in one manager at a time: another on the same store is told so until it closes', async () => {
    const first = manager();
    const second = manager();
    expect(first.jobs.resume()).toEqual([]);
    expect(second.jobs.resume()).toBeUndefined();
    expect(() => second.jobs.enqueue('generate', request(2))).toThrow(
      expect.objectContaining({ code: 'STORE', message: `Another Diffusion Studio (the desktop app or another browser-mode server) is running the jobs of ${paths.home}. Start the job there, or close it and try again.` }),
    );
    resultOf(await first.log.terminal(first.jobs.enqueue('generate', request(1)).id));
    await first.jobs.close();
    resultOf(await second.log.terminal(second.jobs.enqueue('generate', request(2)).id));
    expect(db.history.list({}).map((r) => r.recipe.seed)).toEqual([2, 1]);
  });

  it('fails a job with the reason when the worker cannot start', async () => {
    const missing = path.join(tempDir('studio-no-worker-'), 'job-worker.cjs');
    const { jobs, log } = manager(missing);
    const id = jobs.enqueue('generate', request(1)).id;
    expect(await log.terminal(id)).toEqual({ type: 'job.failed', jobId: id, error: { code: 'INTERNAL', message: `The job worker ${missing} is missing; build the studio with \`npm run build\`.`, detail: missing } });
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('keeps delivering to other listeners when one throws, and refuses jobs once closed', async () => {
    const { jobs, log } = manager();
    jobs.subscribe(() => {
      throw new Error('bad listener');
    });
    resultOf(await log.terminal(jobs.enqueue('generate', request(1)).id));
    await jobs.close();
    expect(() => jobs.enqueue('generate', request(2))).toThrow(/shutting down/);
  });
});
