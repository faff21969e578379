/**
 * The preload of the studio window (build/preload.cjs, sandboxed: it may only require
 * 'electron'). It exposes `window.studio` as typed by `contract/preload-api.ts`:
 * one function per call (each bound to its own fixed channel, never a generic invoke),
 * an event subscription that hands the renderer only the event (not the IpcRendererEvent,
 * whose `sender` would leak ipcRenderer), and the image URL scheme.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, type CallName, type CallRequest, type CallResponse, type CallResult, type StudioEvent } from '../contract/api';
import { DESKTOP_CHANNELS, type DesktopApi } from '../contract/desktop-api';
import { electronMediaUrl, IPC_EVENT_CHANNEL, ipcChannel, PRELOAD_GLOBAL, type PreloadApi, type PreloadCalls } from '../contract/preload-api';

function callFunction<K extends CallName>(name: K): (request: CallRequest<K>) => Promise<CallResult<CallResponse<K>>> {
  const channel = ipcChannel(name);
  return (request) => ipcRenderer.invoke(channel, request) as Promise<CallResult<CallResponse<K>>>;
}

const calls = Object.fromEntries(CALL_NAMES.map((name) => [name, callFunction(name)])) as unknown as PreloadCalls;

const desktop: DesktopApi = {
  saveFile: (request) => ipcRenderer.invoke(DESKTOP_CHANNELS.saveFile, request) as ReturnType<DesktopApi['saveFile']>,
  revealMedia: (request) => ipcRenderer.invoke(DESKTOP_CHANNELS.revealMedia, request) as ReturnType<DesktopApi['revealMedia']>,
};

const api: PreloadApi = {
  desktop: Object.freeze(desktop),
  calls: Object.freeze(calls),
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, studioEvent: StudioEvent): void => listener(studioEvent);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  mediaUrl(recordId) {
    if (!Number.isSafeInteger(recordId) || recordId < 1) throw new TypeError(`mediaUrl needs a record id (got ${String(recordId)})`);
    return electronMediaUrl(recordId);
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
