/**
 * Decides which progress updates of one job are sent: at most one per `intervalMs`, but a
 * stage change and the last step always go through, so the UI never misses where a job is.
 *
 * Why: a small model finishes a step in about a millisecond; 30 updates a second keep a bar
 * smooth without flooding IPC or the WebSocket. The clock is a parameter so tests drive it.
 */
import type { JobStage } from '../../contract/api';

export interface StageStep {
  stage: JobStage;
  step: number;
  totalSteps: number;
}

/** 33 ms caps a fast model at ~30 updates/s. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 33;

export class ProgressThrottle {
  #lastStage: JobStage | undefined;
  #lastSent = -Infinity;

  constructor(
    private readonly intervalMs: number,
    /** Milliseconds, monotonic. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when `p` should be sent (and then counts as sent). */
  admit(p: StageStep): boolean {
    const t = this.now();
    const important = p.stage !== this.#lastStage || p.step >= p.totalSteps;
    if (!important && t - this.#lastSent < this.intervalMs) return false;
    this.#lastStage = p.stage;
    this.#lastSent = t;
    return true;
  }
}
