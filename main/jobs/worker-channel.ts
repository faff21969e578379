/**
 * The parent's handle on one job worker process, whichever way it was started: Node's
 * child_process.fork (browser mode, tests) or Electron's utilityProcess.fork (desktop app).
 */
import type { ParentMessage, WorkerMessage } from './worker-protocol';

export interface WorkerChannel {
  /** OS process id, once known. */
  readonly pid: number | undefined;
  send(message: ParentMessage): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  /** Called once when the process has ended; `how` reads e.g. "exit code 1" or "signal SIGKILL". */
  onExit(listener: (how: string) => void): void;
  /** Ends the process (SIGTERM where there are signals). */
  kill(): void;
}

/** Starts a fresh worker; the job manager calls it for the first job and after a crash. */
export type SpawnWorker = () => WorkerChannel;

/** "exit code 1", "signal SIGKILL": how a process ended, for messages. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}
