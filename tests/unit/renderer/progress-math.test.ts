/**
 * The progress bar's arithmetic (renderer/src/lib/progress-math.ts): the step rate and the time
 * left, measured from the first denoising event the page saw.
 */
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../contract/api';
import { denoiseEtaMs, denoiseStepsPerSecond } from '../../../renderer/src/lib/progress-math';

const at = (stage: JobProgress['stage'], step: number, elapsedMs: number): JobProgress => ({ jobId: 'j', stage, step, totalSteps: 50, elapsedMs });

describe('denoise rate and time left', () => {
  const anchor = { step: 0, elapsedMs: 1000 };

  it('10 steps in 500 ms after the anchor: 20 steps/s and 2 s for the 40 left', () => {
    expect(denoiseStepsPerSecond(at('denoise', 10, 1500), anchor)).toBe(20);
    expect(denoiseEtaMs(at('denoise', 10, 1500), anchor)).toBe(2000);
  });

  it('unknown before a step has finished after the anchor, and outside denoising', () => {
    expect(denoiseStepsPerSecond(at('denoise', 0, 1200), anchor)).toBeNull();
    expect(denoiseStepsPerSecond(at('decode', 50, 4000), anchor)).toBeNull();
    expect(denoiseStepsPerSecond(at('denoise', 5, 1500), null)).toBeNull();
  });
});
