/**
 * Starts the job worker (build/job-worker.cjs) as an Electron utility process, the
 * desktop app's counterpart of browser mode's child_process.fork (main/jobs/node-worker.ts).
 *
 * Why utilityProcess: it is Electron's supported way to run Node code (here onnxruntime)
 * outside the main process, so a model running never freezes the window's IPC. Messages
 * posted before the process has spawned are held until its 'spawn' event, so none is lost.
 */
import { utilityProcess } from 'electron';
import { lowerPriority } from '../jobs/node-worker';
import type { SpawnWorker, WorkerChannel } from '../jobs/worker-channel';
import type { ParentMessage, WorkerMessage } from '../jobs/worker-protocol';

export function forkUtilityWorker(script: string): WorkerChannel {
  const child = utilityProcess.fork(script, [], { serviceName: 'Diffusion Studio jobs', stdio: 'inherit' });
  let pending: ParentMessage[] | undefined = [];
  let exited = false;
  child.once('spawn', () => {
    lowerPriority(child.pid);
    for (const message of pending ?? []) child.postMessage(message);
    pending = undefined;
  });
  child.once('exit', () => (exited = true));
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (exited) return;
      if (pending) pending.push(message);
      else child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', (message: unknown) => listener(message as WorkerMessage)),
    onExit: (listener) => child.once('exit', (code: number) => listener(`exit code ${code}`)),
    kill: () => void child.kill(),
  };
}

export function utilityWorkerSpawner(script: string): SpawnWorker {
  return () => forkUtilityWorker(script);
}
