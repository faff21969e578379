/**
 * The whole browser-mode loop with the real tiny pipeline: generate.start over HTTP,
 * progress and done over the WebSocket, the record in history, the PNG at /media/<id>;
 * cancellation of a long job; and history surviving a restart of the service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { GenerationRecord, StudioEvent } from '../../../contract/api';
import { studioPaths } from '../../../main/config/studio-home';
import { createStudioService } from '../../../main/service/studio-service';
import { BUNDLED_PIPELINES, call, raw, startHarness, type Harness } from './http-harness';

let h: Harness;
let ws: WebSocket;
const events: StudioEvent[] = [];

beforeAll(async () => {
  h = await startHarness();
  ws = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events`);
  ws.on('message', (data) => events.push(JSON.parse(String(data)) as StudioEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
});
afterAll(async () => {
  ws?.terminate();
  await h?.close();
});

/** Resolves with the terminal event of `jobId` (waits for it to arrive over the socket). */
async function terminal(jobId: string, timeoutMs = 50_000): Promise<StudioEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const end = events.find((e) => e.type !== 'job.progress' && e.jobId === jobId);
    if (end) return end;
    if (Date.now() > deadline) throw new Error(`no terminal event for ${jobId}; got ${JSON.stringify(events.slice(-5))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const request = { prompt: 'a small red square', negativePrompt: '', steps: 3, cfg: 2, seed: 7, model: 'tiny', provider: 'cpu', scheduler: 'default' };

describe('generation over HTTP + WebSocket', () => {
  let record: GenerationRecord;

  it('runs a job, streams progress and done, and records it', async () => {
    const res = (await call(h.server.port, 'generate.start', request)).json() as { ok: boolean; value: { jobId: string } };
    expect(res.ok).toBe(true);
    const { jobId } = res.value;
    const end = await terminal(jobId);
    expect(end.type, JSON.stringify(end)).toBe('job.done');
    record = (end as Extract<StudioEvent, { type: 'job.done' }>).record;
    expect(record.recipe).toMatchObject({ prompt: request.prompt, seed: 7, steps: 3, modelId: 'tiny', provider: 'cpu', width: 64, height: 64, appVersion: '9.8.7' });

    const stages = events.flatMap((e) => (e.type === 'job.progress' && e.progress.jobId === jobId ? [e.progress.stage] : []));
    expect(stages[0]).toBe('queued');
    expect(stages).toContain('denoise');
    const denoise = events.flatMap((e) => (e.type === 'job.progress' && e.progress.jobId === jobId && e.progress.stage === 'denoise' ? [e.progress] : []));
    expect(denoise.at(-1)).toMatchObject({ step: 3, totalSteps: 3 });

    const listed = (await call(h.server.port, 'history.list', { search: 'red squ' })).json() as { ok: true; value: GenerationRecord[] };
    expect(listed.value).toEqual([record]);
    expect((await call(h.server.port, 'history.get', { id: record.id })).json()).toEqual({ ok: true, value: record });
  });

  it('serves the PNG of the record', async () => {
    const res = await raw(h.server.port, { path: `/media/${record.id}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('cancels a running job over HTTP', async () => {
    const start = (await call(h.server.port, 'generate.start', { ...request, steps: 900, seed: 8 })).json() as { value: { jobId: string } };
    const { jobId } = start.value;
    // Wait until it is really running (past queued), then cancel.
    for (let i = 0; i < 500 && !events.some((e) => e.type === 'job.progress' && e.progress.jobId === jobId && e.progress.stage === 'denoise'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await call(h.server.port, 'generate.cancel', { jobId })).json()).toEqual({ ok: true, value: { cancelled: true } });
    expect(await terminal(jobId)).toEqual({ type: 'job.cancelled', jobId });
    const all = (await call(h.server.port, 'history.list', {})).json() as { value: GenerationRecord[] };
    expect(all.value.map((r) => r.id)).toEqual([record.id]);
  });

  it('keeps history across a restart of the service', async () => {
    await h.server.close();
    await h.service.close();
    const again = createStudioService({ paths: studioPaths(h.home), appVersion: '9.8.7', mode: 'browser', bundledModelsDir: BUNDLED_PIPELINES });
    try {
      expect(await again.handle('history.get', { id: record.id })).toEqual(record);
      expect(again.imagePath(record.id)).toBe(record.outputPath);
    } finally {
      await again.close();
    }
  });
});
