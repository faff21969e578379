/**
 * A one-line progress bar for a terminal: `[#####.....] 12/20 denoise 1.3s`, redrawn in
 * place with a carriage return. Only used when stderr is a TTY; piped or captured output
 * gets no bar, so logs and tests see clean text.
 */
import type { JobStage } from '../../contract/api';

export const BAR_WIDTH = 20;

/** The bar text for `step` of `totalSteps` in `stage`, `elapsedMs` since start. */
export function formatProgress(stage: JobStage, step: number, totalSteps: number, elapsedMs: number): string {
  const fraction = totalSteps > 0 ? Math.min(1, Math.max(0, step / totalSteps)) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
  return `[${bar}] ${step}/${totalSteps} ${stage} ${(elapsedMs / 1000).toFixed(1)}s`;
}

export interface ProgressBar {
  update(stage: JobStage, step: number, totalSteps: number): void;
  /** Erases the bar so the next output starts on a clean line. */
  done(): void;
}

/** A bar on `stream` when it is a TTY, otherwise one that prints nothing. */
export function createProgressBar(stream: NodeJS.WriteStream): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const start = performance.now();
  let lastLength = 0;
  return {
    update(stage, step, totalSteps) {
      const text = formatProgress(stage, step, totalSteps, performance.now() - start);
      stream.write(`\r${text}${' '.repeat(Math.max(0, lastLength - text.length))}`);
      lastLength = text.length;
    },
    done() {
      if (lastLength > 0) stream.write(`\r${' '.repeat(lastLength)}\r`);
      lastLength = 0;
    },
  };
}
