/**
 * Where a profiling run is, as "prompt i of n, step s of T". A profiling job counts finished
 * denoising steps over the whole run (totalSteps = n·T, see main/cache/run-profiling.ts), so
 * prompt and step follow from the one number.
 */
import type { JobProgress } from '../../../contract/api';

export interface ProfilingPosition {
  /** 1-based prompt being recorded. */
  prompt: number;
  prompts: number;
  /** Finished steps of that prompt. */
  step: number;
  steps: number;
  /** 0..1 over the whole run. */
  fraction: number;
}

export function profilingPosition(progress: JobProgress | null, prompts: number, steps: number): ProfilingPosition {
  const total = prompts * steps;
  if (total <= 0) return { prompt: 0, prompts, step: 0, steps, fraction: 0 };
  const done = Math.max(0, Math.min(progress?.step ?? 0, total));
  // A prompt's last step belongs to it, not to the next one that has not started.
  const index = done === 0 ? 0 : Math.floor((done - 1) / steps);
  return { prompt: index + 1, prompts, step: done - index * steps, steps, fraction: done / total };
}
