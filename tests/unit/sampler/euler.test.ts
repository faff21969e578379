import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { EulerDiscreteScheduler } from '../../../core/sampler/euler-discrete';
import { SD15_CONFIG, maxAbsDiff, referenceSigmaAt, sdAlphaBar, testValues } from './reference-formulas';

/** SDXL base's scheduler_config.json (EulerDiscreteScheduler, leading spacing). */
const SDXL_CONFIG = {
  _class_name: 'EulerDiscreteScheduler',
  _diffusers_version: '0.19.0.dev0',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  interpolation_type: 'linear',
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  sample_max_value: 1.0,
  set_alpha_to_one: false,
  skip_prk_steps: true,
  steps_offset: 1,
  timestep_spacing: 'leading',
  trained_betas: null,
  use_karras_sigmas: false,
};

const euler = (config: Record<string, unknown>, steps: number) => {
  const s = createScheduler(config, steps, 'euler');
  if (!(s instanceof EulerDiscreteScheduler)) throw new Error('expected Euler');
  return s;
};

describe('Euler sigmas', () => {
  const alphaBar = sdAlphaBar();

  it("SD's σ_max (t = 999, linspace spacing) is ≈ 14.6146 and is the initial noise std", () => {
    const s = euler(SD15_CONFIG, 30);
    expect(s.sigmas[0]).toBeCloseTo(14.6146, 4);
    expect(s.initNoiseSigma).toBe(s.sigmas[0]);
  });

  it('σ at each (fractional) timestep is the interpolated σ table, rounded to float32, ending at 0', () => {
    const s = euler(SD15_CONFIG, 30);
    s.timesteps.forEach((t, i) => {
      const want = referenceSigmaAt(alphaBar, t);
      expect(Math.abs((s.sigmas[i] as number) - want) / want).toBeLessThan(1e-6);
      expect(Math.fround(s.sigmas[i] as number)).toBe(s.sigmas[i]);
    });
    expect(s.sigmas[30]).toBe(0);
  });

  it('leading spacing (SDXL): timesteps 981…1 and initial noise std √(σ_max² + 1)', () => {
    const s = euler(SDXL_CONFIG, 50);
    expect(s.timesteps[0]).toBe(981);
    expect(s.timesteps[49]).toBe(1);
    const sigmaMax = referenceSigmaAt(alphaBar, 981);
    expect(s.initNoiseSigma).toBeCloseTo(Math.sqrt(sigmaMax * sigmaMax + 1), 5);
  });

  it('final_sigmas_type "sigma_min" ends at σ(0) instead of 0', () => {
    const s = euler({ ...SDXL_CONFIG, final_sigmas_type: 'sigma_min' }, 10);
    expect(s.sigmas[10]).toBeCloseTo(referenceSigmaAt(alphaBar, 0), 6);
  });
});

describe('Euler model input and step', () => {
  const s = euler(SDXL_CONFIG, 20);
  const x = testValues(64, 3).map((v) => v * 10);
  const out = testValues(64, 4);
  const i = 5;
  const sigma = s.sigmas[i] as number;
  const sigmaNext = s.sigmas[i + 1] as number;

  it('scaleModelInput divides by √(σ² + 1) and does not mutate', () => {
    const before = x.slice();
    const scaled = s.scaleModelInput(x, i);
    expect(maxAbsDiff(scaled, Array.from(x, (v) => v / Math.sqrt(sigma * sigma + 1)))).toBeLessThan(1e-6);
    expect(Array.from(x)).toEqual(Array.from(before));
  });

  it('epsilon: x + ε·(σ′ − σ)', () => {
    const want = Array.from(x, (v, k) => v + (out[k] as number) * (sigmaNext - sigma));
    expect(maxAbsDiff(s.step(out, i, x), want)).toBeLessThan(1e-5);
  });

  it('v_prediction: x̂₀ = −σ/√(σ²+1)·v + x/(σ²+1), then the Euler step', () => {
    const sv = euler({ ...SDXL_CONFIG, prediction_type: 'v_prediction' }, 20);
    const want = Array.from(x, (v, k) => {
      const x0 = (out[k] as number) * (-sigma / Math.sqrt(sigma * sigma + 1)) + v / (sigma * sigma + 1);
      return v + ((v - x0) / sigma) * (sigmaNext - sigma);
    });
    expect(maxAbsDiff(sv.step(out, i, x), want)).toBeLessThan(1e-5);
  });
});
