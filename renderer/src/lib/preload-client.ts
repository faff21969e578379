/**
 * The desktop transport: Electron's preload exposes `window.studio` through contextBridge,
 * one function per call. Calls come back as `CallResult` envelopes (Electron keeps only
 * the message of a thrown error), which this file unwraps like the HTTP transport does.
 */
import type { CallName, CallRequest, CallResponse } from '../../../contract/api';
import { PRELOAD_GLOBAL, type PreloadApi } from '../../../contract/preload-api';
import { unwrap } from './envelope';
import type { RendererClient } from './client';

export function findPreload(): PreloadApi | null {
  const candidate = (window as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL];
  return candidate && typeof candidate.onEvent === 'function' && typeof candidate.calls === 'object' ? candidate : null;
}

export function createPreloadClient(preload: PreloadApi): RendererClient {
  return {
    async call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
      // Indexing a mapped type by a generic key loses the link between K and the function.
      const invoke = preload.calls[name] as (request: CallRequest<K>) => Promise<unknown>;
      return unwrap<CallResponse<K>>(await invoke(request), name);
    },
    onEvent: (listener) => preload.onEvent(listener),
    mediaUrl: (recordId) => preload.mediaUrl(recordId),
    // IPC has no connection to lose: the main process lives as long as the window.
    onConnection(listener) {
      listener('open');
      return () => {};
    },
  };
}
