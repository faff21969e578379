/**
 * Every scheduler's stepCoefficients(i) is its update's linear form: step(out, i, x) equals
 * a·x + b·out (to float32 rounding) wherever the update is first order, for every prediction type.
 */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { withSigmaGrid } from '../../../core/sampler/custom-sigmas';
import type { Scheduler } from '../../../core/sampler/types';
import { SD15_CONFIG, testValues } from './reference-formulas';

const FLOW = { _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 3 };

function linearGap(s: Scheduler, i: number): number {
  const x = testValues(64, 11 + i);
  const out = testValues(64, 97 + i);
  const { a, b } = s.stepCoefficients(i);
  const stepped = s.step(out, i, x);
  let worst = 0;
  for (let k = 0; k < x.length; k++) {
    const want = a * (x[k] as number) + b * (out[k] as number);
    worst = Math.max(worst, Math.abs((stepped[k] as number) - want) / Math.max(1, Math.abs(want)));
  }
  return worst;
}

/** Runs steps 0..N−1 in order (multistep solvers need it) and returns the worst gap over `steps`. */
function worstGap(s: Scheduler, steps: (i: number) => boolean): number {
  let worst = 0;
  for (let i = 0; i < s.numSteps; i++) {
    const gap = linearGap(s, i);
    if (steps(i)) worst = Math.max(worst, gap);
  }
  return worst;
}

describe('step coefficients', () => {
  for (const prediction of ['epsilon', 'v_prediction', 'sample'] as const) {
    it(`DDIM (${prediction}) at every step`, () => {
      expect(worstGap(createScheduler({ ...SD15_CONFIG, prediction_type: prediction }, 20, 'ddim'), () => true)).toBeLessThan(1e-5);
    });
    it(`Euler (${prediction}) at every step`, () => {
      expect(worstGap(createScheduler({ ...SD15_CONFIG, prediction_type: prediction }, 20, 'euler'), () => true)).toBeLessThan(1e-5);
    });
    it(`DPM-Solver++ (${prediction}) at its first-order steps`, () => {
      const s = createScheduler({ ...SD15_CONFIG, prediction_type: prediction }, 20, 'dpmpp-2m');
      expect(worstGap(s, (i) => i === 0 || i === s.numSteps - 1)).toBeLessThan(1e-5);
    });
  }
  it('flow-match Euler, and Euler over a custom σ grid', () => {
    const flow = createScheduler(FLOW, 12);
    expect(worstGap(flow, () => true)).toBeLessThan(1e-6);
    const grid = Float64Array.from(flow.sigmas, (s, i) => (i === 0 ? s : s * 0.9));
    expect(worstGap(withSigmaGrid(createScheduler(FLOW, 12), grid), () => true)).toBeLessThan(1e-6);
  });
  it('σ grids have numSteps + 1 values, decreasing, ending at the final level', () => {
    for (const s of [createScheduler(SD15_CONFIG, 10, 'ddim'), createScheduler(SD15_CONFIG, 10, 'euler'), createScheduler(SD15_CONFIG, 10, 'dpmpp-2m'), createScheduler(FLOW, 10)]) {
      expect(s.sigmas.length).toBe(s.numSteps + 1);
      for (let i = 1; i < s.sigmas.length; i++) expect(s.sigmas[i] as number).toBeLessThan(s.sigmas[i - 1] as number);
    }
  });
});
