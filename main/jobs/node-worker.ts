/**
 * Starts the job worker with Node's child_process.fork (browser mode and tests); the
 * desktop app uses Electron's utilityProcess instead (main/electron/utility-worker.ts).
 *
 * The worker runs at a lower CPU priority (nice 10): a model uses every core, and the
 * server answering the UI must not wait behind it. The worker's stdout and stderr go to
 * the parent's, so its errors show in the server log.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../contract/errors';
import { findAppRoot } from '../models/app-root';
import { describeExit, type SpawnWorker, type WorkerChannel } from './worker-channel';
import type { WorkerMessage } from './worker-protocol';

/** Added to the worker's nice value; 10 of 19 leaves it most of an idle machine. */
export const WORKER_NICE_INCREMENT = 10;

/** build/job-worker.cjs, beside the other bundles; STUDIO_JOB_WORKER overrides (tests build their own). */
export function defaultWorkerScript(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.STUDIO_JOB_WORKER?.trim();
  return override ? path.resolve(override) : path.join(findAppRoot(), 'build', 'job-worker.cjs');
}

/** Lowers a process's CPU priority; a platform that refuses keeps the default priority. */
export function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, Math.min(19, os.getPriority(pid) + WORKER_NICE_INCREMENT));
  } catch (err) {
    console.error(`studio: could not lower the job worker's priority: ${(err as Error).message}`);
  }
}

/** @throws StudioError INTERNAL when the worker bundle is missing (the studio was not built). */
export function forkNodeWorker(script: string): WorkerChannel {
  if (!fs.existsSync(script)) {
    throw new StudioError('INTERNAL', `The job worker ${script} is missing; build the studio with \`npm run build\`.`, script);
  }
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  lowerPriority(child.pid);
  return {
    pid: child.pid,
    send(message) {
      // A worker that just died cannot take messages; its exit is reported through onExit.
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as WorkerMessage)),
    onExit: (listener) => child.once('exit', (code, signal) => listener(describeExit(code, signal))),
    kill: () => void child.kill(),
  };
}

/** Forks `script` (default: defaultWorkerScript()) for every worker the job manager needs. */
export function nodeWorkerSpawner(script: string = defaultWorkerScript()): SpawnWorker {
  return () => forkNodeWorker(script);
}
