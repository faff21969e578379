/**
 * The worker's side of the channel to the studio: Electron's `process.parentPort` when the
 * desktop app started it with utilityProcess.fork, Node's IPC (`process.send`) when browser
 * mode started it with child_process.fork.
 */
import type { ParentMessage, WorkerMessage } from './worker-protocol';

export interface ParentPort {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: ParentMessage) => void): void;
  /** Called when the parent is gone (it exited or was killed). */
  onDisconnect(listener: () => void): void;
}

/** The subset of Electron's ParentPort used here (the worker does not import electron). */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent(): ParentPort {
  const electronPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data as ParentMessage)),
      // Electron ends a utility process together with its parent.
      onDisconnect: () => undefined,
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('The job worker must be started by the studio (child_process.fork or utilityProcess.fork).');
  return {
    send: (message) => void send(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as ParentMessage)),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
