/**
 * Live previews through the real worker process and the browser-mode server: a generation
 * that asks for previews (`preview: true`) on `emoji` streams job.preview events on the
 * WebSocket, each a small PNG of its job, for a step before the last and before job.done; its
 * image is the one the same request makes without previews; and a request without the flag
 * gets none.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import type { GenerationRecord, StudioEvent } from '../../../contract/api';
import { decodePng } from '../../../main/png/png-reader';
import { EventLog } from '../../helpers/event-log';
import { bearer, call, raw, startHarness, type Harness } from './http-harness';

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

const request = { prompt: 'red heart', negativePrompt: '', steps: 40, cfg: 4, seed: 21, model: 'emoji', provider: 'cpu', scheduler: 'default' };

async function generate(body: unknown): Promise<{ jobId: string; record: GenerationRecord }> {
  const start = (await call(h.server.port, 'generate.start', body)).json() as { ok: boolean; value: { jobId: string }; error?: unknown };
  expect(start.ok, JSON.stringify(start.error)).toBe(true);
  const end = await log.terminal(start.value.jobId, 120_000);
  if (end.type !== 'job.done' || end.kind !== 'generate') throw new Error(`expected job.done, got ${JSON.stringify(end)}`);
  return { jobId: start.value.jobId, record: end.result };
}

async function pixels(record: GenerationRecord): Promise<Buffer> {
  return Buffer.from(decodePng((await raw(h.server.port, { path: `/media/${record.id}` })).body).rgb);
}

test('preview: true streams small PNG previews before job.done and leaves the image as it is without them', async () => {
  const withPreview = await generate({ ...request, preview: true });
  const previews = log.previewsOf(withPreview.jobId);
  expect(previews.length).toBeGreaterThanOrEqual(1);
  const doneIndex = log.events.findIndex((e) => e.type === 'job.done' && e.jobId === withPreview.jobId);
  for (const preview of previews) {
    expect(preview).toMatchObject({ jobId: withPreview.jobId, totalSteps: 40, width: 64, height: 64 });
    expect(preview.step).toBeGreaterThan(0);
    expect(preview.step).toBeLessThan(40);
    const png = decodePng(Buffer.from(preview.image.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(png).toMatchObject({ width: 64, height: 64 });
  }
  const previewIndexes = log.events.flatMap((e, i) => (e.type === 'job.preview' && e.jobId === withPreview.jobId ? [i] : []));
  expect(Math.max(...previewIndexes)).toBeLessThan(doneIndex);

  const without = await generate(request);
  expect(log.previewsOf(without.jobId)).toEqual([]);
  expect((await pixels(withPreview.record)).equals(await pixels(without.record))).toBe(true);
}, 180_000);
