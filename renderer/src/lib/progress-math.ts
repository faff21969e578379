/**
 * Turns progress events into a fraction and an ETA. Pure functions so the arithmetic
 * (which is easy to get subtly wrong) does not hide inside component markup.
 */
import type { JobProgress } from '../../../contract/api';

/** Where the denoise rate is measured from: the first denoise event seen. */
export interface RateAnchor {
  step: number;
  elapsedMs: number;
}

/**
 * 0..1 over the whole job. Denoising dominates, so it gets most of the bar; load and
 * encode fill the first sliver and decode/save the last, which keeps the bar moving
 * forward through every stage instead of sitting at 0 while a model loads.
 */
export function progressFraction(p: JobProgress | null): number {
  if (!p) return 0;
  switch (p.stage) {
    case 'queued':
      return 0;
    case 'load':
      return 0.02;
    case 'encode':
      return 0.05;
    case 'denoise':
      return 0.05 + 0.9 * (p.totalSteps > 0 ? p.step / p.totalSteps : 0);
    case 'decode':
      return 0.96;
    case 'save':
      return 0.99;
  }
}

/** Denoising steps per second since the anchor; null until a step has finished after it. */
export function denoiseStepsPerSecond(p: JobProgress | null, anchor: RateAnchor | null): number | null {
  if (!p || !anchor || p.stage !== 'denoise') return null;
  const stepsDone = p.step - anchor.step;
  const ms = p.elapsedMs - anchor.elapsedMs;
  return stepsDone > 0 && ms > 0 ? (1000 * stepsDone) / ms : null;
}

/** Milliseconds left in denoising, from the average step time since the anchor; null until known. */
export function denoiseEtaMs(p: JobProgress | null, anchor: RateAnchor | null): number | null {
  if (!p || !anchor || p.stage !== 'denoise') return null;
  const stepsDone = p.step - anchor.step;
  if (stepsDone <= 0) return null;
  const msPerStep = (p.elapsedMs - anchor.elapsedMs) / stepsDone;
  return Math.max(0, msPerStep * (p.totalSteps - p.step));
}
