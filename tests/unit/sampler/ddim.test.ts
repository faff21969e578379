import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { DdimScheduler } from '../../../core/sampler/ddim';
import { SD15_CONFIG, maxAbsDiff, referenceAlphaBar, referenceBetas, sdAlphaBar, testValues } from './reference-formulas';

const ddim = (extra: Record<string, unknown>, steps: number) => {
  const s = createScheduler({ ...SD15_CONFIG, ...extra }, steps, 'ddim');
  if (!(s instanceof DdimScheduler)) throw new Error('expected DDIM');
  return s;
};

describe('DDIM ᾱ table', () => {
  it('matches ᾱ recomputed from SD scaled_linear betas, at each step and its landing step', () => {
    const alphaBar = sdAlphaBar();
    const s = ddim({}, 50);
    s.timesteps.forEach((t, i) => {
      expect(s.alphaProd[i]).toBeCloseTo(alphaBar[t] as number, 13);
      const landing = t - 20;
      // set_alpha_to_one false: the last step lands on ᾱ_0.
      expect(s.alphaProdPrev[i]).toBeCloseTo(landing >= 0 ? (alphaBar[landing] as number) : (alphaBar[0] as number), 13);
    });
  });

  it('matches a linear schedule too, and set_alpha_to_one lands the last step on ᾱ = 1', () => {
    const alphaBar = referenceAlphaBar(referenceBetas('linear', 1000, 0.0001, 0.02));
    const s = ddim({ beta_schedule: 'linear', beta_start: 0.0001, beta_end: 0.02, set_alpha_to_one: true }, 10);
    expect(s.alphaProd[0]).toBeCloseTo(alphaBar[901] as number, 13);
    expect(s.alphaProdPrev[9]).toBe(1);
  });
});

describe('DDIM step: x_{t−1} = √ᾱ′·x̂₀ + √(1−ᾱ′)·ε̂', () => {
  const alphaBar = sdAlphaBar();
  const x = testValues(64, 1);
  const out = testValues(64, 2);
  const stepIndex = 10; // t = 781 → lands on 761
  const a = alphaBar[781] as number;
  const ap = alphaBar[761] as number;

  it('epsilon', () => {
    const got = ddim({}, 50).step(out, stepIndex, x);
    const want = Array.from(x, (xi, i) => {
      const x0 = (xi - Math.sqrt(1 - a) * (out[i] as number)) / Math.sqrt(a);
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * (out[i] as number);
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
  });

  it('v_prediction', () => {
    const got = ddim({ prediction_type: 'v_prediction' }, 50).step(out, stepIndex, x);
    const want = Array.from(x, (xi, i) => {
      const v = out[i] as number;
      const x0 = Math.sqrt(a) * xi - Math.sqrt(1 - a) * v;
      const eps = Math.sqrt(a) * v + Math.sqrt(1 - a) * xi;
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps;
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
  });

  it('sample', () => {
    const got = ddim({ prediction_type: 'sample' }, 50).step(out, stepIndex, x);
    const want = Array.from(x, (xi, i) => {
      const x0 = out[i] as number;
      const eps = (xi - Math.sqrt(a) * x0) / Math.sqrt(1 - a);
      return Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps;
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
  });

  it('clip_sample clamps x̂₀ to ±clip_sample_range but keeps the model ε', () => {
    const big = new Float32Array([5, -5, 0.1]);
    const eps = new Float32Array([0, 0, 0]);
    const got = ddim({ clip_sample: true, clip_sample_range: 2 }, 50).step(eps, stepIndex, big);
    const x0 = Array.from(big, (xi) => Math.min(Math.max(xi / Math.sqrt(a), -2), 2));
    expect(maxAbsDiff(got, x0.map((v) => Math.sqrt(ap) * v))).toBeLessThan(1e-6);
  });

  it('never mutates its inputs and returns a new array', () => {
    const xCopy = x.slice();
    const outCopy = out.slice();
    const s = ddim({}, 50);
    const scaled = s.scaleModelInput(x, 0);
    const next = s.step(out, 0, x);
    expect(scaled).not.toBe(x);
    expect(Array.from(scaled)).toEqual(Array.from(x));
    expect(next).not.toBe(x);
    expect(Array.from(x)).toEqual(Array.from(xCopy));
    expect(Array.from(out)).toEqual(Array.from(outCopy));
  });

  it('rejects a wrong length or step index', () => {
    const s = ddim({}, 50);
    expect(() => s.step(out.subarray(1), 0, x)).toThrow(RangeError);
    expect(() => s.step(out, 50, x)).toThrow(RangeError);
  });
});
