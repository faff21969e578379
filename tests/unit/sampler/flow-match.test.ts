import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { FlowMatchEulerScheduler } from '../../../core/sampler/flow-match-euler';
import { maxAbsDiff, testValues } from './reference-formulas';

/** Stable Diffusion 3's scheduler_config.json. */
const SD3_CONFIG = { _class_name: 'FlowMatchEulerDiscreteScheduler', _diffusers_version: '0.29.0.dev0', num_train_timesteps: 1000, shift: 3.0 };

const flow = (extra: Record<string, unknown>, steps: number) => {
  const s = createScheduler({ ...SD3_CONFIG, ...extra }, steps);
  if (!(s instanceof FlowMatchEulerScheduler)) throw new Error('expected flow Euler');
  return s;
};

const shifted = (sigma: number, shift: number) => (shift * sigma) / (1 + (shift - 1) * sigma);

describe('flow-matching Euler schedule', () => {
  it('σᵢ = shift(tᵢ/T) over tᵢ = linspace(T, T·σ_min, N), σ_min = shift(1/T); ends at 0', () => {
    const steps = 28;
    const s = flow({}, steps);
    const sigmaMin = shifted(1 / 1000, 3);
    for (let i = 0; i < steps; i++) {
      const t = 1000 + ((1000 * sigmaMin - 1000) * i) / (steps - 1);
      expect(s.sigmas[i]).toBeCloseTo(shifted(t / 1000, 3), 6);
    }
    expect(s.sigmas[0]).toBe(1);
    expect(s.sigmas[steps]).toBe(0);
    expect(s.predictionType).toBe('flow');
    expect(s.initNoiseSigma).toBe(1);
  });

  it('timesteps fed to the model are σ·T', () => {
    const s = flow({}, 10);
    s.timesteps.forEach((t, i) => expect(t).toBeCloseTo((s.sigmas[i] as number) * 1000, 3));
    expect(s.timesteps[0]).toBe(1000);
  });

  it('shift 1 gives evenly spaced sigmas', () => {
    const s = flow({ shift: 1 }, 5);
    const want = [1, 0.75025, 0.5005, 0.25075, 0.001];
    want.forEach((w, i) => expect(s.sigmas[i]).toBeCloseTo(w, 6));
  });

  it('shift_terminal stretches the schedule to end at that σ', () => {
    const s = flow({ shift_terminal: 0.02 }, 8);
    expect(s.sigmas[7]).toBeCloseTo(0.02, 6);
    expect(s.sigmas[0]).toBe(1);
  });

  it('step: x + (σ′ − σ)·v, and scaleModelInput is a copy', () => {
    const s = flow({}, 10);
    const x = testValues(16, 9);
    const v = testValues(16, 10);
    const dt = (s.sigmas[3] as number) - (s.sigmas[2] as number);
    expect(maxAbsDiff(s.step(v, 2, x), Array.from(x, (xi, k) => xi + dt * (v[k] as number)))).toBeLessThan(1e-6);
    expect(Array.from(s.scaleModelInput(x, 2))).toEqual(Array.from(x));
  });
});
