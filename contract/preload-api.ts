/**
 * What the Electron preload exposes to the renderer as `window.studio`, and the names both
 * ends of the IPC agree on.
 *
 * Why an object keyed by call name instead of a generic `invoke(channel, ...)`: Electron's
 * context-isolation guide asks for one method per IPC message, so a compromised renderer
 * can reach exactly the calls in `StudioCalls` and nothing else of `ipcRenderer`. Each
 * function resolves to a `CallResult` envelope (never rejects for a back-end error),
 * because Electron keeps only `message` of an Error thrown across IPC; the renderer unwraps
 * envelopes from IPC and from HTTP the same way.
 *
 * Pure TypeScript (no electron import) so the renderer can type `window.studio` with it:
 * `declare global { interface Window { studio?: PreloadApi } }`.
 */
import type { CallName, CallRequest, CallResponse, CallResult, StudioEvent } from './api';
import type { DesktopApi } from './desktop-api';

/** Global name the preload binds with `contextBridge.exposeInMainWorld`. */
export const PRELOAD_GLOBAL = 'studio';

/** The custom protocol the desktop app serves its renderer and history media from. */
export const STUDIO_SCHEME = 'studio';
/** Host of renderer files: `studio://app/index.html`. */
export const STUDIO_APP_ORIGIN = 'studio://app';
/** Host of history media: `studio://media/<recordId>`. */
export const STUDIO_MEDIA_HOST = 'media';

/** IPC channel of one call: `studio:app.info`, `studio:generate.start`, … */
export type IpcChannel = `studio:${CallName}`;
export function ipcChannel(name: CallName): IpcChannel {
  return `studio:${name}`;
}
/** Channel main pushes every `StudioEvent` on (main → renderer only). */
export const IPC_EVENT_CHANNEL = 'studio:event';

/** URL of a history record's media file inside the desktop app. */
export function electronMediaUrl(recordId: number): string {
  return `${STUDIO_SCHEME}://${STUDIO_MEDIA_HOST}/${recordId}`;
}

/** One function per call: `window.studio.calls['generate.start'](request)`. */
export type PreloadCalls = {
  readonly [K in CallName]: (request: CallRequest<K>) => Promise<CallResult<CallResponse<K>>>;
};

export interface PreloadApi {
  readonly calls: PreloadCalls;
  /** Subscribes to back-end events; returns the unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** `studio://media/<recordId>`. */
  mediaUrl(recordId: number): string;
  /** Save dialog and reveal-in-folder (contract/desktop-api.ts); absent in an older preload. */
  readonly desktop?: DesktopApi;
}
