import { describe, expect, it } from 'vitest';
import type { GenerateRequest, GenerationRecord, StudioEvent } from '../../../contract/api';
import { StudioError } from '../../../contract/errors';
import { JobManager, type JobRunner } from '../../../main/jobs/job-manager';

const request = (steps: number, prompt = 'p'): GenerateRequest => ({
  prompt, negativePrompt: '', steps, cfg: 1, seed: 1, model: 'm', provider: 'cpu', scheduler: 'default',
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A runner that takes `stepMs` per step, honours the signal between steps, and logs start order. */
function steppingRunner(stepMs: number, started: string[] = []): JobRunner {
  return async (req, { signal, onProgress }) => {
    started.push(req.prompt);
    onProgress({ stage: 'load', step: 0, totalSteps: req.steps });
    for (let step = 1; step <= req.steps; step++) {
      await sleep(stepMs);
      if (signal.aborted) throw new StudioError('CANCELLED', 'cancelled');
      onProgress({ stage: 'denoise', step, totalSteps: req.steps });
    }
    return { id: started.length, createdAt: 'now', outputPath: `/tmp/${req.prompt}.png` } as unknown as GenerationRecord;
  };
}

/** Collects events and resolves when a job reaches a terminal event. */
function recorder(jobs: JobManager) {
  const events: StudioEvent[] = [];
  const waiters = new Map<string, (e: StudioEvent) => void>();
  jobs.subscribe((e) => {
    events.push(e);
    if (e.type !== 'job.progress') waiters.get(e.jobId)?.(e);
  });
  const settled = (jobId: string) => new Promise<StudioEvent>((resolve) => waiters.set(jobId, resolve));
  return { events, settled };
}

describe('JobManager', () => {
  it('runs a job to completion with queued, stage and step progress, then done', async () => {
    const jobs = new JobManager({ run: steppingRunner(1), progressIntervalMs: 0 });
    const { events, settled } = recorder(jobs);
    const id = jobs.start(request(3));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const end = await settled(id);
    expect(end).toMatchObject({ type: 'job.done', jobId: id, record: { outputPath: '/tmp/p.png' } });
    const progress = events.flatMap((e) => (e.type === 'job.progress' ? [e.progress] : []));
    expect(progress.map((p) => `${p.stage}:${p.step}/${p.totalSteps}`)).toEqual(['queued:0/3', 'load:0/3', 'denoise:1/3', 'denoise:2/3', 'denoise:3/3']);
    expect(progress.every((p) => p.jobId === id && p.elapsedMs >= 0)).toBe(true);
    expect(jobs.activeJobIds()).toEqual([]);
  });

  it('runs jobs one at a time in FIFO order', async () => {
    const started: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const inner = steppingRunner(2, started);
    const jobs = new JobManager({
      run: async (req, hooks) => {
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        try {
          return await inner(req, hooks);
        } finally {
          concurrent--;
        }
      },
    });
    const { settled } = recorder(jobs);
    const ids = ['a', 'b', 'c'].map((p) => jobs.start(request(2, p)));
    expect(jobs.activeJobIds()).toEqual(ids);
    await Promise.all(ids.map(settled));
    expect(started).toEqual(['a', 'b', 'c']);
    expect(maxConcurrent).toBe(1);
  });

  it('cancels a queued job without running it', async () => {
    const started: string[] = [];
    const jobs = new JobManager({ run: steppingRunner(2, started) });
    const { settled } = recorder(jobs);
    const first = jobs.start(request(3, 'first'));
    const second = jobs.start(request(3, 'second'));
    const secondEnd = settled(second);
    expect(jobs.cancel(second)).toBe(true);
    expect(await secondEnd).toEqual({ type: 'job.cancelled', jobId: second });
    await settled(first);
    expect(started).toEqual(['first']);
  });

  it('aborts a running job between steps and then runs the next', async () => {
    const jobs = new JobManager({ run: steppingRunner(5) });
    const { events, settled } = recorder(jobs);
    const running = jobs.start(request(1000, 'long'));
    const next = jobs.start(request(1, 'next'));
    await sleep(30);
    expect(jobs.cancel(running)).toBe(true);
    expect(await settled(running)).toEqual({ type: 'job.cancelled', jobId: running });
    expect((await settled(next)).type).toBe('job.done');
    const after = events.findIndex((e) => e.type === 'job.cancelled');
    expect(events.slice(after).some((e) => e.type === 'job.progress' && e.progress.jobId === running)).toBe(false);
  });

  it('returns false for unknown or finished jobs', async () => {
    const jobs = new JobManager({ run: steppingRunner(0) });
    const { settled } = recorder(jobs);
    expect(jobs.cancel('no-such-job')).toBe(false);
    const id = jobs.start(request(1));
    await settled(id);
    expect(jobs.cancel(id)).toBe(false);
  });

  it('reports runner errors as job.failed with an ApiError', async () => {
    const logged: string[] = [];
    const jobs = new JobManager({
      run: async (req) => {
        if (req.prompt === 'missing') throw new StudioError('MODEL_NOT_FOUND', 'No model "m"', 'model');
        throw new TypeError('boom');
      },
      logError: (m) => logged.push(m),
    });
    const { settled } = recorder(jobs);
    const a = jobs.start(request(1, 'missing'));
    const b = jobs.start(request(1, 'bug'));
    expect(await settled(a)).toEqual({ type: 'job.failed', jobId: a, error: { code: 'MODEL_NOT_FOUND', message: 'No model "m"', detail: 'model' } });
    expect(await settled(b)).toEqual({ type: 'job.failed', jobId: b, error: { code: 'INTERNAL', message: 'boom' } });
    expect(logged).toHaveLength(1);
  });

  it('throttles progress to the interval but always sends stage changes and the last step', async () => {
    const runner: JobRunner = async (req, { onProgress }) => {
      onProgress({ stage: 'encode', step: 0, totalSteps: 1000 });
      for (let step = 1; step <= 1000; step++) onProgress({ stage: 'denoise', step, totalSteps: 1000 });
      onProgress({ stage: 'decode', step: 1000, totalSteps: 1000 });
      return {} as GenerationRecord;
    };
    const jobs = new JobManager({ run: runner, progressIntervalMs: 10_000 });
    const { events, settled } = recorder(jobs);
    await settled(jobs.start(request(1000)));
    const progress = events.flatMap((e) => (e.type === 'job.progress' ? [`${e.progress.stage}:${e.progress.step}`] : []));
    expect(progress).toEqual(['queued:0', 'encode:0', 'denoise:1', 'denoise:1000', 'decode:1000']);
  });

  it('keeps delivering to other listeners when one throws, and unsubscribes', async () => {
    const jobs = new JobManager({ run: steppingRunner(0), logError: () => undefined });
    jobs.subscribe(() => {
      throw new Error('bad listener');
    });
    const seen: string[] = [];
    const unsubscribe = jobs.subscribe((e) => seen.push(e.type));
    const { settled } = recorder(jobs);
    await settled(jobs.start(request(1)));
    expect(seen).toContain('job.done');
    unsubscribe();
    const count = seen.length;
    await settled(jobs.start(request(1)));
    expect(seen).toHaveLength(count);
  });

  it('close() cancels everything, waits for the runner, and refuses new jobs', async () => {
    let finished = false;
    const inner = steppingRunner(5);
    const jobs = new JobManager({
      run: async (req, hooks) => {
        try {
          return await inner(req, hooks);
        } finally {
          finished = true;
        }
      },
    });
    const { events } = recorder(jobs);
    jobs.start(request(1000));
    jobs.start(request(1000));
    await sleep(20);
    await jobs.close();
    expect(finished).toBe(true);
    expect(events.filter((e) => e.type === 'job.cancelled')).toHaveLength(2);
    expect(() => jobs.start(request(1))).toThrow(/shutting down/);
  });
});
