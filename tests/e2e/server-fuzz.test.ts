// The real browser-mode server process against bounded garbage: the twelve kinds of broken
// WebSocket frame, an ordinary client's oversized message, and broken or hostile request
// bodies (random bytes, a 10 GiB Content-Length, a stalled upload, a bad Content-Length,
// four large uploads at once). The process must stay up, keep answering calls, keep
// broadcasting to a well-behaved client, and keep running the job it had started; the four
// large uploads must not take its memory past the body budget's worth.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { orTimeout, partialPost } from '../helpers/partial-request';
import { garbageKinds, openRawWebSocket, pseudoRandomBytes } from '../helpers/ws-frames';
import { apiCall, openEvents } from './harness/api-client';
import { startServer, type RunningServer } from './harness/server';

const MiB = 1024 * 1024;
let home: string;
let server: RunningServer;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'studio-e2e-fuzz-'));
  server = await startServer(home);
});
afterAll(async () => {
  await server?.stop();
  await rm(home, { recursive: true, force: true });
});

/** Peak resident memory of the server process so far, in MiB (Linux /proc). */
function peakRssMiB(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

function rawBytes(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.on('error', () => {});
    socket.setEncoding('latin1').on('data', (c: string) => (reply += c));
    socket.on('close', () => resolve(reply));
    socket.end(bytes);
    setTimeout(() => socket.destroy(), 3000).unref();
  });
}

test('garbage frames and bodies close only their own connections; the server, its clients and its job carry on', async () => {
  const events = await openEvents(server.url);
  try {
    // 2000 calls of emoji's denoiser: still running when the garbage below is done, even on a fast machine.
    const request = { prompt: 'fuzz', steps: 1000, cfg: 2, seed: 5, model: 'emoji', provider: 'cpu', scheduler: 'default' };
    const { jobId } = await apiCall<{ jobId: string }>(server.url, 'generate.start', request);
    await events.log.progressAt(jobId, 'denoise', 2);

    // Twelve kinds of broken frame, all at once, each on its own connection.
    const closedInTime = await Promise.all(
      garbageKinds().map(async (kind) => {
        const { socket, closed } = await openRawWebSocket(server.port, '/api/events', server.authHeaders());
        socket.write(kind.bytes);
        if (kind.incomplete) socket.end();
        const outcome = await orTimeout(closed, 5000);
        socket.destroy();
        return `${kind.name}: ${outcome === 'timeout' ? 'still open' : 'closed'}`;
      }),
    );
    expect(closedInTime).toEqual(garbageKinds().map((k) => `${k.name}: closed`));

    // An ordinary client that sends one 2 KiB message.
    const loud = new WebSocket(`${server.url.replace(/^http/, 'ws')}api/events`, { headers: server.authHeaders() });
    await new Promise((resolve, reject) => loud.once('open', resolve).once('error', reject));
    const code = new Promise<number>((resolve) => loud.once('close', (c) => resolve(c)));
    loud.send('x'.repeat(2048));
    expect(await code).toBe(1009);

    // Broken HTTP: random bytes, a bad Content-Length, a 10 GiB one, a stalled upload.
    // (Whatever node's parser answers to random bytes, if anything, the checks below are what count.)
    await rawBytes(server.port, pseudoRandomBytes(4096, 0xbad));
    const badLength = await rawBytes(server.port, Buffer.from(`POST /api/app.info HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 12abc\r\n\r\n{}`));
    expect(badLength).toMatch(/^HTTP\/1\.1 400/);
    const huge = partialPost(server.port, 'app.info', { declaredLength: 10 * 1024 * MiB, sent: Buffer.from('{'), token: server.token });
    expect(await orTimeout(huge.status, 3000)).toBe(413);
    huge.socket.destroy();
    const stalled = partialPost(server.port, 'profiles.import', { declaredLength: 10 * MiB, sent: Buffer.from('{"json":"'), token: server.token });

    // Four 60 MiB profile uploads at once: some are taken, the rest are told to retry (503).
    const before = peakRssMiB(server.pid);
    const big = JSON.stringify({ json: JSON.stringify({ padding: 'x'.repeat(60 * MiB) }) });
    const statuses = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const res = await fetch(`${server.url}api/profiles.import`, { method: 'POST', headers: { 'content-type': 'application/json', ...server.authHeaders() }, body: big });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const peak = peakRssMiB(server.pid);
    process.stderr.write(`four 60 MiB uploads at once: statuses ${statuses.join(',')}; server peak RSS ${before.toFixed(0)} → ${peak.toFixed(0)} MiB\n`);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // Each accepted 60 MiB body costs ~5x its size while parsed; all four at once would pass 1 GiB.
    expect(peak - before).toBeLessThan(900);
    stalled.socket.destroy();

    // Still up, still answering, still broadcasting the job's progress, which kept running.
    expect(server.alive()).toBe(true);
    const models = await apiCall<{ id: string }[]>(server.url, 'models.list', {});
    expect(models.length).toBeGreaterThan(0);
    const seen = events.log.progressOf(jobId).at(-1)?.step ?? 0;
    await events.log.progressAt(jobId, 'denoise', seen + 2);
    expect(await apiCall(server.url, 'jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await events.log.terminal(jobId)).toEqual({ type: 'job.cancelled', jobId });
    expect(server.alive()).toBe(true);
  } finally {
    events.close();
  }
});
