/**
 * Picks the transport once, at start-up: Electron's preload bridge when the page runs in
 * the desktop app, HTTP + WebSocket when it is served by `studio serve`. Everything above
 * this file sees only `StudioClient`, so the UI is identical in both.
 */
import type { StudioClient } from '../../../contract/api';
import type { ConnectionState } from './event-socket';
import { createHttpClient } from './http-client';
import { createPreloadClient, findPreload } from './preload-client';

export type { ConnectionState } from './event-socket';

/** A StudioClient that also reports whether its event stream is live. */
export interface RendererClient extends StudioClient {
  /** Called at once with the current state, then on each change; returns unsubscribe. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

export function createStudioClient(): RendererClient {
  const preload = findPreload();
  return preload ? createPreloadClient(preload) : createHttpClient(window.location.origin);
}
