/**
 * The event socket against broken clients: twelve kinds of malformed WebSocket traffic
 * sent over raw TCP, and an ordinary client that sends a message over the 1 KiB limit.
 * Each must close only the offending connection: the in-process server keeps answering
 * calls, a well-behaved client keeps receiving events, and a running job keeps running.
 * (The server runs inside the test process, so a crash is an uncaught error that fails the run.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StudioEvent } from '../../../contract/api';
import { EventLog } from '../../helpers/event-log';
import { bearer, call, startHarness, type Harness } from './http-harness';
import { garbageKinds, openRawWebSocket } from '../../helpers/ws-frames';

let h: Harness;
let good: WebSocket;
const log = new EventLog();

beforeAll(async () => {
  h = await startHarness({ progressIntervalMs: 0 });
  good = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events`, { headers: bearer(h) });
  good.on('message', (data) => log.push(JSON.parse(String(data)) as StudioEvent));
  await new Promise<void>((resolve, reject) => {
    good.once('open', () => resolve());
    good.once('error', reject);
  });
});
afterAll(async () => {
  good?.terminate();
  await h?.close();
});

/** Resolves true when `closed` settles within `ms`, false otherwise. */
function within(closed: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

async function modelsListOk(): Promise<boolean> {
  return ((await call(h.server.port, 'models.list', {})).json() as { ok: boolean }).ok;
}

describe('event socket: malformed frames close that socket only', () => {
  it('survives every kind of broken frame while a job runs, and keeps serving calls and events', async () => {
    const start = (await call(h.server.port, 'generate.start', { prompt: 'fuzz', steps: 900, cfg: 2, seed: 3, model: 'tiny', provider: 'cpu', scheduler: 'default' })).json() as {
      ok: boolean;
      value: { jobId: string };
    };
    expect(start.ok, JSON.stringify(start)).toBe(true);
    const jobId = start.value.jobId;
    await log.progressAt(jobId, 'denoise', 3);

    const outcomes: string[] = [];
    for (const kind of garbageKinds()) {
      const { socket, closed } = await openRawWebSocket(h.server.port, '/api/events', bearer(h));
      socket.write(kind.bytes);
      if (kind.incomplete) socket.end();
      outcomes.push(`${kind.name}: ${(await within(closed, 5000)) ? 'closed' : 'still open'}`);
      socket.destroy();
      expect(await modelsListOk(), `after ${kind.name}`).toBe(true);
    }
    expect(outcomes).toEqual(garbageKinds().map((k) => `${k.name}: closed`));

    // The job outlived all of it and still reports progress to the good client.
    const stepAfter = (log.progressOf(jobId).at(-1)?.step ?? 0) + 2;
    await log.progressAt(jobId, 'denoise', stepAfter);
    expect(good.readyState).toBe(WebSocket.OPEN);
    expect((await call(h.server.port, 'jobs.cancel', { jobId })).json()).toEqual({ ok: true, value: { cancelled: true } });
    expect(await log.terminal(jobId)).toEqual({ type: 'job.cancelled', jobId });
  });

  it('closes an ordinary client that sends a 2 KiB message with 1009 (message too big)', async () => {
    const loud = new WebSocket(`ws://127.0.0.1:${h.server.port}/api/events`, { headers: bearer(h) });
    await new Promise<void>((resolve, reject) => {
      loud.once('open', () => resolve());
      loud.once('error', reject);
    });
    const code = new Promise<number>((resolve) => loud.once('close', (c) => resolve(c)));
    loud.send('x'.repeat(2048));
    expect(await code).toBe(1009);
    expect(await modelsListOk()).toBe(true);
    expect(good.readyState).toBe(WebSocket.OPEN);
  });
});
