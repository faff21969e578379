/**
 * The studio's HTTP API and event socket from a test, without a browser: calls that throw
 * on an error envelope, and an event stream a test can wait on (see tests/helpers/event-log.ts).
 * Both send the access token of the harness server at `baseUrl`.
 */
import { WebSocket } from 'ws';
import type { StudioEvent } from '../../../contract/api';
import { EventLog } from '../../helpers/event-log';
import { tokenForUrl } from './server';

/** POST /api/<name>; resolves with the value, throws with the error envelope. */
export async function apiCall<T>(baseUrl: string, name: string, request: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenForUrl(baseUrl)}` },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
  return body.value as T;
}

/** Connects to the server's event socket; every event lands in the returned log. */
export async function openEvents(baseUrl: string): Promise<{ log: EventLog; close(): void }> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}api/events`, { headers: { authorization: `Bearer ${tokenForUrl(baseUrl)}` } });
  const log = new EventLog();
  ws.on('message', (data) => log.push(JSON.parse(String(data)) as StudioEvent));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { log, close: () => ws.terminate() };
}
