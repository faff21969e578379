/**
 * The predicted clean latent x̂₀ a live preview shows (core/sampling/preview-x0.ts): each
 * prediction type against a value worked out by hand, then against the schedulers' own spaces
 * (a perfect model's output must give back the x₀ the latent was made from), and the last
 * step of a sampler that ends at σ = 0, where x̂₀ is exactly what the step returns.
 */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { PredictionType } from '../../../core/sampler/types';
import { predictX0 } from '../../../core/sampling/preview-x0';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('predictX0 by hand (σ = 0.75, so √(σ²+1) = 1.25)', () => {
  // x = 2, model output m = 0.4.
  const cases: [PredictionType, number, string][] = [
    ['epsilon', 2.2, '√(σ²+1)·x − σ·ε = 1.25·2 − 0.75·0.4'],
    ['v_prediction', 1.36, '(x − σ·v)/√(σ²+1) = (2 − 0.3)/1.25'],
    ['flow', 1.7, 'x − σ·v = 2 − 0.75·0.4'],
    ['sample', 0.4, 'the output itself'],
  ];
  for (const [type, expected, how] of cases) {
    it(`${type}: ${how} = ${expected}`, () => {
      const x0 = predictX0(type, 0.75, f32(2, -1), f32(0.4, 0.4));
      expect(x0[0]).toBeCloseTo(expected, 6);
      expect(x0).toHaveLength(2);
    });
  }

  it('σ = 0 leaves the input (ε, v, flow)', () => {
    for (const type of ['epsilon', 'v_prediction', 'flow'] as const) expect([...predictX0(type, 0, f32(1.5, -2), f32(9, 9))]).toEqual([1.5, -2]);
  });

  it('refuses arrays of different lengths and a negative or NaN σ', () => {
    expect(() => predictX0('flow', 0.5, f32(1, 2), f32(1))).toThrow(RangeError);
    expect(() => predictX0('flow', -0.1, f32(1), f32(1))).toThrow(/σ must be finite/);
    expect(() => predictX0('epsilon', Number.NaN, f32(1), f32(1))).toThrow(/σ must be finite/);
  });
});

describe('predictX0 in each scheduler\'s own space', () => {
  const x0 = f32(0.8, -0.3, 0.05, -1.2);
  const eps = f32(-1.1, 0.4, 2.0, 0.3);
  const base = { num_train_timesteps: 1000, beta_start: 0.00085, beta_end: 0.012, beta_schedule: 'scaled_linear' };

  /** Perfect outputs for a VP latent of noise level σ (ᾱ = 1/(σ²+1)). */
  const perfect = (type: PredictionType, sigma: number) => {
    const a = 1 / Math.sqrt(sigma * sigma + 1);
    const s = sigma * a;
    return x0.map((v, i) => (type === 'epsilon' ? (eps[i] as number) : type === 'v_prediction' ? a * (eps[i] as number) - s * v : v));
  };

  for (const [name, config, type] of [
    ['DDIM, ε', { ...base, _class_name: 'DDIMScheduler', prediction_type: 'epsilon' }, 'epsilon'],
    ['DPM-Solver++, v', { ...base, _class_name: 'DPMSolverMultistepScheduler', prediction_type: 'v_prediction' }, 'v_prediction'],
    ['Euler, ε', { ...base, _class_name: 'EulerDiscreteScheduler', prediction_type: 'epsilon' }, 'epsilon'],
    ['Euler, v', { ...base, _class_name: 'EulerDiscreteScheduler', prediction_type: 'v_prediction' }, 'v_prediction'],
    ['Euler, sample', { ...base, _class_name: 'EulerDiscreteScheduler', prediction_type: 'sample' }, 'sample'],
  ] as const) {
    it(`${name}: a perfect output gives back x₀ at every step`, () => {
      const scheduler = createScheduler(config, 10);
      expect(scheduler.predictionType).toBe(type);
      for (let i = 0; i < scheduler.numSteps; i++) {
        const sigma = scheduler.sigmas[i] as number;
        // The latent in the scheduler's own space: VP for DDIM / DPM-Solver++ (init σ 1), x₀ + σ·ε for Euler.
        const vp = scheduler.initNoiseSigma === 1;
        const latent = x0.map((v, k) => (vp ? (v + sigma * (eps[k] as number)) / Math.sqrt(sigma * sigma + 1) : v + sigma * (eps[k] as number)));
        const got = predictX0(type, sigma, scheduler.scaleModelInput(latent, i), perfect(type, sigma));
        got.forEach((v, k) => expect(v).toBeCloseTo(x0[k] as number, 4));
      }
    });
  }

  it('flow matching: x = (1−σ)·x₀ + σ·noise with v = noise − x₀ gives back x₀', () => {
    const scheduler = createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 3 }, 8);
    for (let i = 0; i < scheduler.numSteps; i++) {
      const sigma = scheduler.sigmas[i] as number;
      const latent = x0.map((v, k) => (1 - sigma) * v + sigma * (eps[k] as number));
      const v = eps.map((e, k) => e - (x0[k] as number));
      predictX0('flow', sigma, scheduler.scaleModelInput(latent, i), v).forEach((got, k) => expect(got).toBeCloseTo(x0[k] as number, 5));
    }
  });

  it("the last step of flow-match Euler (σ' = 0) lands exactly on x̂₀", () => {
    const scheduler = createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 }, 4);
    const last = scheduler.numSteps - 1;
    expect(scheduler.sigmas[last + 1]).toBe(0);
    const latent = f32(0.3, -0.7, 1.1, 0.2);
    const out = f32(0.5, 0.1, -0.4, 0.9);
    for (let i = 0; i < last; i++) scheduler.step(out, i, latent);
    expect([...predictX0('flow', scheduler.sigmas[last] as number, scheduler.scaleModelInput(latent, last), out)]).toEqual([...scheduler.step(out, last, latent)]);
  });
});
