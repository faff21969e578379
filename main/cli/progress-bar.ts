/**
 * A one-line progress bar for a terminal, redrawn in place with a carriage return:
 *
 *   [#####...............] 12/50 denoise 1.3s · 9.2 steps/s · ~4.1s left
 *
 * The rate and time left are measured from the run so far: from the first denoising update
 * to the latest (so loading and prompt encoding never skew them), shown once two updates of
 * the denoise stage have come.
 *
 * Only drawn when stderr is a TTY; piped or captured output gets no bar, so logs and tests see
 * clean text. STUDIO_PROGRESS=lines asks for the same text as plain lines instead (for logs of
 * long runs): one per stage and about one per tenth of the steps.
 */
import type { JobStage } from '../../contract/api';

export const BAR_WIDTH = 20;

/** Denoising speed measured so far. */
export interface StepRate {
  stepsPerSecond: number;
  /** Milliseconds until the last step, at that speed. */
  etaMs: number;
}

/** The bar text for `step` of `totalSteps` in `stage`, `elapsedMs` since start, and the rate once known. */
export function formatProgress(stage: JobStage, step: number, totalSteps: number, elapsedMs: number, rate?: StepRate): string {
  const fraction = totalSteps > 0 ? Math.min(1, Math.max(0, step / totalSteps)) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
  const speed = rate === undefined ? '' : ` · ${rate.stepsPerSecond.toFixed(rate.stepsPerSecond < 10 ? 1 : 0)} steps/s · ~${(rate.etaMs / 1000).toFixed(1)}s left`;
  return `[${bar}] ${step}/${totalSteps} ${stage} ${(elapsedMs / 1000).toFixed(1)}s${speed}`;
}

/**
 * Measures the denoising rate from the updates it is given: the first denoise update is the
 * anchor; later ones give steps/s over the interval and the time the remaining steps take.
 */
export class StepRateMeter {
  #anchor: { step: number; ms: number } | undefined;
  #last = -1;

  /** The rate after this update, or undefined while it cannot be known (not denoising, no interval yet). */
  update(stage: JobStage, step: number, totalSteps: number, ms: number): StepRate | undefined {
    if (stage !== 'denoise') return undefined;
    // A step below the last one seen is the next run of a batch: measure it afresh.
    const restarted = step < this.#last;
    this.#last = step;
    if (this.#anchor === undefined || restarted) {
      this.#anchor = { step, ms };
      return undefined;
    }
    const steps = step - this.#anchor.step;
    const seconds = (ms - this.#anchor.ms) / 1000;
    if (steps <= 0 || seconds <= 0) return undefined;
    const stepsPerSecond = steps / seconds;
    return { stepsPerSecond, etaMs: (Math.max(0, totalSteps - step) / stepsPerSecond) * 1000 };
  }
}

export interface ProgressBar {
  update(stage: JobStage, step: number, totalSteps: number): void;
  /** Erases the bar so the next output starts on a clean line. */
  done(): void;
}

/** A bar on `stream` when it is a TTY, lines when STUDIO_PROGRESS=lines, otherwise one that prints nothing. */
export function createProgressBar(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env, now: () => number = () => performance.now()): ProgressBar {
  const lines = env.STUDIO_PROGRESS === 'lines';
  if (!stream.isTTY && !lines) return { update: () => undefined, done: () => undefined };
  const start = now();
  const meter = new StepRateMeter();
  if (lines) {
    let lastStage: JobStage | undefined;
    let lastStep = -1;
    return {
      update(stage, step, totalSteps) {
        const t = now();
        const rate = meter.update(stage, step, totalSteps, t);
        const every = Math.max(1, Math.round(totalSteps / 10));
        if (stage === lastStage && step !== totalSteps && Math.floor(step / every) === Math.floor(lastStep / every)) return;
        lastStage = stage;
        lastStep = step;
        stream.write(`${formatProgress(stage, step, totalSteps, t - start, rate)}\n`);
      },
      done: () => undefined,
    };
  }
  let lastLength = 0;
  return {
    update(stage, step, totalSteps) {
      const t = now();
      const text = formatProgress(stage, step, totalSteps, t - start, meter.update(stage, step, totalSteps, t));
      stream.write(`\r${text}${' '.repeat(Math.max(0, lastLength - text.length))}`);
      lastLength = text.length;
    },
    done() {
      if (lastLength > 0) stream.write(`\r${' '.repeat(lastLength)}\r`);
      lastLength = 0;
    },
  };
}
