/**
 * A client of the event socket that stops reading cannot make the server buffer events
 * without bound: once its unsent backlog passes SEND_BACKLOG_MAX_BYTES it is dropped, while a
 * client that reads keeps receiving every event.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StudioEvent } from '../../../contract/api';
import { createEventSocket, SEND_BACKLOG_MAX_BYTES, type EventSocket } from '../../../main/server/event-socket';
import { openRawWebSocket } from '../../helpers/ws-frames';

const TOKEN = 'backlog-test-token-0123456789';
let server: http.Server;
let events: EventSocket;
let port: number;

beforeAll(async () => {
  events = createEventSocket(TOKEN);
  server = http.createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => events.handleUpgrade(req, socket, head, port));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  events.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A job.failed event whose message makes it `bytes` long on the wire (roughly). */
function bigEvent(i: number, bytes: number): StudioEvent {
  return { type: 'job.failed', jobId: `job-${i}`, error: { code: 'INTERNAL', message: 'x'.repeat(bytes) } };
}

it('drops a client that stopped reading once its backlog passes the cap, and keeps serving one that reads', async () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const stuck = await openRawWebSocket(port, '/api/events', auth);
  stuck.socket.pause(); // reads nothing from here on: the kernel buffers fill, then ws's own
  const reader = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers: auth });
  let received = 0;
  reader.on('message', () => received++);
  await new Promise((resolve, reject) => reader.once('open', resolve).once('error', reject));
  expect(events.clientCount()).toBe(2);

  // 3x the cap in 64 KiB events, yielding between them so the sockets can drain.
  const eventBytes = 64 * 1024;
  const count = Math.ceil((3 * SEND_BACKLOG_MAX_BYTES) / eventBytes);
  for (let i = 0; i < count; i++) {
    events.broadcast(bigEvent(i, eventBytes));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await expect.poll(() => events.clientCount(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => received, { timeout: 10_000 }).toBe(count);
  expect(reader.readyState).toBe(WebSocket.OPEN);
  reader.close();
});
