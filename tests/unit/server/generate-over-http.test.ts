/**
 * The whole browser-mode loop with the real tiny pipeline and the real worker process:
 * generate.start over HTTP, progress and done over the WebSocket, the record in history,
 * the PNG at /media/<id>, the job in jobs.list; cancellation of a long job through
 * jobs.cancel; and history surviving a restart of the service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { GenerationRecord, StudioEvent } from '../../../contract/api';
import type { JobSummary } from '../../../contract/jobs';
import { EventLog } from '../../helpers/event-log';
import { bearer, call, raw, startHarness, testService, type Harness } from './http-harness';

let h: Harness;
let ws: WebSocket;
const log = new EventLog();

beforeAll(async () => {
  h = await startHarness({ progressIntervalMs: 0 });
  ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events`, { headers: bearer(h) });
  ws.on('message', (data) => log.push(JSON.parse(String(data)) as StudioEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
});
afterAll(async () => {
  ws?.terminate();
  await h?.close();
});

async function value<T>(name: string, body: unknown): Promise<T> {
  const res = (await call(h.server.port, name, body)).json() as { ok: boolean; value: T; error?: unknown };
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
  return res.value;
}

const request = { prompt: 'a small red square', negativePrompt: '', steps: 3, cfg: 2, seed: 7, model: 'tiny', provider: 'cpu', scheduler: 'default' };

describe('generation over HTTP + WebSocket', () => {
  let record: GenerationRecord;

  it('runs a job, streams progress and done, and records it', async () => {
    const { jobId } = await value<{ jobId: string }>('generate.start', request);
    const end = await log.terminal(jobId);
    if (end.type !== 'job.done' || end.kind !== 'generate') throw new Error(`expected job.done of a generation, got ${JSON.stringify(end)}`);
    record = end.result;
    expect(record.recipe).toMatchObject({ prompt: request.prompt, seed: 7, steps: 3, modelId: 'tiny', provider: 'cpu', width: 64, height: 64, appVersion: '9.8.7' });

    // With no throttle, every step arrives, in order.
    const progress = log.progressOf(jobId);
    expect(progress[0]?.stage).toBe('queued');
    expect(progress.filter((p) => p.stage === 'denoise').map((p) => p.step)).toEqual([0, 1, 2, 3]);

    expect(await value('history.list', { search: 'red squ' })).toEqual([record]);
    expect(await value('history.get', { id: record.id })).toEqual(record);
    const [job] = await value<JobSummary[]>('jobs.list', { limit: 1 });
    expect(job).toMatchObject({ id: jobId, kind: 'generate', state: 'done', resultRef: record.id, step: 3, totalSteps: 3, attempt: 1, error: null });
  });

  it('serves the PNG of the record', async () => {
    const res = await raw(h.server.port, { path: `/media/${record.id}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('cancels a running job with jobs.cancel once it reported step 5', async () => {
    const { jobId } = await value<{ jobId: string }>('generate.start', { ...request, steps: 900, seed: 8 });
    await log.progressAt(jobId, 'denoise', 5);
    expect(await value('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await log.terminal(jobId)).toEqual({ type: 'job.cancelled', jobId });
    const last = log.progressOf(jobId).at(-1);
    expect(last?.step).toBeLessThan(900);
    // Nothing reported after the end, nothing stored, and the job says so.
    const endIndex = log.events.findIndex((e) => e.type === 'job.cancelled' && e.jobId === jobId);
    expect(log.events.slice(endIndex).some((e) => e.type === 'job.progress' && e.progress.jobId === jobId)).toBe(false);
    expect((await value<GenerationRecord[]>('history.list', {})).map((r) => r.id)).toEqual([record.id]);
    expect((await value<JobSummary[]>('jobs.list', { limit: 1 }))[0]).toMatchObject({ id: jobId, state: 'cancelled', resultRef: null });
    expect(await value('jobs.cancel', { jobId })).toEqual({ cancelled: false });
  });

  it('retries a cancelled job as a new job that stores its result', async () => {
    const [cancelled] = await value<JobSummary[]>('jobs.list', { state: 'cancelled' });
    if (!cancelled) throw new Error('no cancelled job listed');
    const { jobId } = await value<{ jobId: string }>('jobs.retry', { jobId: cancelled.id });
    const end = await log.terminal(jobId, 120_000);
    expect(end).toMatchObject({ type: 'job.done', kind: 'generate', result: { recipe: { seed: 8, steps: 900 } } });
    expect((await value<JobSummary[]>('jobs.list', { limit: 1 }))[0]).toMatchObject({ id: jobId, state: 'done', attempt: 2, retryOf: cancelled.id });
    const retryDone = (await call(h.server.port, 'jobs.retry', { jobId })).json();
    expect(retryDone).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', detail: 'jobId' } });
    expect((await call(h.server.port, 'jobs.retry', { jobId: 'no-such-job' })).json()).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
  });

  it('keeps history across a restart of the service', async () => {
    await h.server.close();
    await h.service.close();
    const again = testService(h.home);
    try {
      expect(await again.handle('history.get', { id: record.id })).toEqual(record);
      expect(again.imagePath(record.id)).toBe(record.outputPath);
    } finally {
      await again.close();
    }
  });
});
