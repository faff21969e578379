/**
 * Browser mode's transport: `POST /api/<name>` per call, a WebSocket for events, and
 * plain HTTP URLs for history media. Used when the page is not inside Electron. All three
 * carry the server's access token as the cookie the page received (address-token.ts).
 */
import type { CallName, CallRequest, CallResponse, StudioEvent } from '../../../contract/api';
import { forgetTokenInAddress } from './address-token';
import { ClientError } from './client-error';
import { unwrap } from './envelope';
import { EventSocket, type ConnectionState } from './event-socket';
import type { RendererClient } from './client';

export function createHttpClient(origin: string): RendererClient {
  forgetTokenInAddress();
  const eventListeners = new Set<(event: StudioEvent) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  const socket = new EventSocket(
    origin.replace(/^http/, 'ws') + '/api/events',
    (event) => eventListeners.forEach((listener) => listener(event)),
    (next) => {
      state = next;
      stateListeners.forEach((listener) => listener(next));
    },
  );
  socket.start();

  return {
    async call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
      let response: Response;
      try {
        response = await fetch(`${origin}/api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
      } catch {
        throw new ClientError({
          code: 'INTERNAL',
          message: 'Cannot reach the studio. This page reconnects by itself when the studio runs again; your settings are kept. If it was closed, start it again.',
          detail: name,
        });
      }
      // Error replies carry an envelope too (with a 4xx/5xx status), so the body decides.
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      return unwrap<CallResponse<K>>(body, `${name} (HTTP ${response.status})`);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    mediaUrl(recordId) {
      return `${origin}/media/${recordId}`;
    },
    onConnection(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
  };
}
