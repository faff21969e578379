/**
 * Electron transport of the studio calls: one `ipcMain.handle('studio:<call>')` per name
 * in CALL_NAMES, each answering with a `CallResult` envelope, and `studio:event` pushes.
 *
 * Every call first checks who is calling (VS Code's validatedIpcMain): the sender must be
 * the top frame of a page on our own origin, studio://app. Anything else (an iframe, a
 * page that navigated away, a devtools extension) is refused before the request is even
 * validated. Requests are then validated by the service, since IPC carries untyped data.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CALL_NAMES } from '../../contract/api';
import { IPC_EVENT_CHANNEL, ipcChannel } from '../../contract/preload-api';
import { callResult } from '../service/call-result';
import type { StudioService } from '../service/studio-service';
import { isTrustedFrame } from './trusted-frame';

export function assertTrusted(event: IpcMainInvokeEvent, channel: string): void {
  if (!isTrustedFrame(event.senderFrame)) {
    const from = event.senderFrame?.url ?? 'a destroyed frame';
    console.error(`studio: refused IPC ${channel} from ${from}`);
    // Thrown (not an envelope): the caller is not our renderer, so it gets no API answer.
    throw new Error(`IPC ${channel} is only available to the studio window`);
  }
}

/** Registers every call handler; returns a function that removes them again. */
export function registerIpcHandlers(service: StudioService): () => void {
  for (const name of CALL_NAMES) {
    const channel = ipcChannel(name);
    ipcMain.handle(channel, (event, rawRequest: unknown) => {
      assertTrusted(event, channel);
      return callResult(service, name, rawRequest);
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(ipcChannel(name));
  };
}

/** Pushes every service event to every studio window; returns the unsubscribe function. */
export function forwardEvents(service: StudioService): () => void {
  return service.onEvent((event) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const contents = win.webContents;
      if (!contents.isDestroyed() && isTrustedFrame(contents.mainFrame)) contents.send(IPC_EVENT_CHANNEL, event);
    }
  });
}
