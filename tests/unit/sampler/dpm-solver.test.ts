import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { DpmSolverMultistepScheduler } from '../../../core/sampler/dpm-solver-multistep';
import { SD15_CONFIG, maxAbsDiff, sdAlphaBar, testValues } from './reference-formulas';

const dpm = (extra: Record<string, unknown>, steps: number) => {
  const s = createScheduler({ ...SD15_CONFIG, ...extra }, steps, 'dpmpp-2m');
  if (!(s instanceof DpmSolverMultistepScheduler)) throw new Error('expected DPM-Solver');
  return s;
};

/** α, s (sigma_t) and λ of a sigma-space σ, as in the DPM-Solver paper. */
const vp = (sigma: number) => {
  const alpha = 1 / Math.sqrt(sigma * sigma + 1);
  const s = sigma * alpha;
  return { alpha, s, lambda: Math.log(alpha) - Math.log(s) };
};

describe('DPM-Solver++(2M) schedule', () => {
  it('σ at each integer timestep is √((1−ᾱ)/ᾱ) (float32) and the last σ is 0; initial noise std 1', () => {
    const alphaBar = sdAlphaBar();
    const s = dpm({}, 25);
    s.timesteps.forEach((t, i) => {
      const a = alphaBar[t] as number;
      const want = Math.sqrt((1 - a) / a);
      expect(Math.abs((s.sigmas[i] as number) - want) / want).toBeLessThan(1e-6);
    });
    expect(s.sigmas[25]).toBe(0);
    expect(s.initNoiseSigma).toBe(1);
  });

  it('uses first order at step 0 and at the last step (final σ = 0), second order between', () => {
    const s = dpm({}, 25);
    expect([0, 1, 12, 23, 24].map((i) => s.usesFirstOrder(i))).toEqual([true, false, false, false, true]);
  });
});

describe('DPM-Solver++(2M) updates', () => {
  const x0 = testValues(32, 5);
  const x1 = testValues(32, 6);
  const e0 = testValues(32, 7);
  const e1 = testValues(32, 8);

  it('step 0 is the first-order update x′ = (s′/s)·x − α′(e^{−h} − 1)·D with D = (x − s·ε)/α', () => {
    const s = dpm({}, 25);
    const got = s.step(e0, 0, x0);
    const a = vp(s.sigmas[0] as number);
    const b = vp(s.sigmas[1] as number);
    const h = b.lambda - a.lambda;
    const want = Array.from(x0, (x, k) => {
      const d = (x - a.s * (e0[k] as number)) / a.alpha;
      return (b.s / a.s) * x - b.alpha * (Math.exp(-h) - 1) * d;
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  for (const solverType of ['midpoint', 'heun'] as const) {
    it(`step 1 is the second-order ${solverType} update with D1 = (D₁ − D₀)/r`, () => {
      const s = dpm({ solver_type: solverType, prediction_type: 'v_prediction' }, 25);
      s.step(e0, 0, x0);
      const got = s.step(e1, 1, x1);
      const p = vp(s.sigmas[0] as number);
      const c = vp(s.sigmas[1] as number);
      const n = vp(s.sigmas[2] as number);
      const h = n.lambda - c.lambda;
      const r = (c.lambda - p.lambda) / h;
      const want = Array.from(x1, (x, k) => {
        const dPrev = p.alpha * (x0[k] as number) - p.s * (e0[k] as number);
        const dNow = c.alpha * x - c.s * (e1[k] as number);
        const d1 = (dNow - dPrev) / r;
        const base = (n.s / c.s) * x - n.alpha * (Math.exp(-h) - 1) * dNow;
        return solverType === 'midpoint'
          ? base - 0.5 * n.alpha * (Math.exp(-h) - 1) * d1
          : base + n.alpha * ((Math.exp(-h) - 1) / h + 1) * d1;
      });
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    });
  }

  it('the last step lands exactly on the data prediction (σ′ = 0)', () => {
    const s = dpm({ prediction_type: 'sample' }, 3);
    s.step(e0, 0, x0);
    s.step(e0, 1, x0);
    expect(Array.from(s.step(e1, 2, x1))).toEqual(Array.from(e1));
  });

  it('refuses out-of-order steps and restarts at step 0', () => {
    const s = dpm({}, 10);
    s.step(e0, 0, x0);
    expect(() => s.step(e0, 2, x0)).toThrow(/in order/);
    const first = s.step(e0, 0, x0);
    expect(Array.from(first)).toEqual(Array.from(dpm({}, 10).step(e0, 0, x0)));
  });
});
