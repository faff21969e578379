import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { arangeDown, interpAtIndex, linspace, roundHalfEven } from '../../../core/sampler/numpy-semantics';
import { SD15_CONFIG } from './reference-formulas';

const sdDdim = (extra: Record<string, unknown>, steps: number) => createScheduler({ ...SD15_CONFIG, ...extra }, steps, 'ddim');
const arithmetic = (first: number, stride: number, count: number) => Array.from({ length: count }, (_, i) => first - i * stride);

describe('numpy semantics', () => {
  it('rounds half to even like np.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 166.5, 499.5, 2.4999].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, 166, 500, 2]);
  });

  it('linspace ends exactly at stop and spaces evenly', () => {
    expect(Array.from(linspace(0, 999, 7))).toEqual([0, 166.5, 333, 499.5, 666, 832.5, 999]);
    expect(Array.from(linspace(3, 3, 1))).toEqual([3]);
  });

  it('arangeDown keeps at most maxCount values even when the float quotient overshoots', () => {
    // 1000 / (1000/61) rounds above 61: numpy would return 62 values, the last ≈ 1e-13.
    expect(Math.ceil(1000 / (1000 / 61))).toBe(62);
    const values = arangeDown(1000, 1000 / 61, 61);
    expect(values.length).toBe(61);
    expect(values[60]).toBeGreaterThan(16);
  });

  it('interp is exact at integer points and clamps outside', () => {
    const fp = Float64Array.from([10, 20, 40]);
    expect([-1, 0, 0.25, 1, 1.5, 2, 9].map((x) => interpAtIndex(x, fp))).toEqual([10, 10, 12.5, 20, 30, 40, 40]);
  });
});

describe('DDIM timesteps (diffusers DDIMScheduler.set_timesteps)', () => {
  it('SD leading spacing, 50 steps, steps_offset 1 → 981, 961, …, 1', () => {
    expect(Array.from(sdDdim({}, 50).timesteps)).toEqual(arithmetic(981, 20, 50));
  });

  it('trailing spacing, 50 steps → 999, 979, …, 19', () => {
    expect(Array.from(sdDdim({ timestep_spacing: 'trailing' }, 50).timesteps)).toEqual(arithmetic(999, 20, 50));
  });

  it('trailing spacing with 3 steps rounds 666.67 and 333.33 → 999, 666, 332', () => {
    expect(Array.from(sdDdim({ timestep_spacing: 'trailing' }, 3).timesteps)).toEqual([999, 666, 332]);
  });

  it('trailing spacing never yields timestep −1 (N = 61 float overshoot)', () => {
    const ts = Array.from(sdDdim({ timestep_spacing: 'trailing' }, 61).timesteps);
    expect(ts.length).toBe(61);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(0);
  });

  it('linspace spacing rounds half to even: 7 steps → 999, 832, 666, 500, 333, 166, 0', () => {
    expect(Array.from(sdDdim({ timestep_spacing: 'linspace' }, 7).timesteps)).toEqual([999, 832, 666, 500, 333, 166, 0]);
  });

  it('steps_offset 0 with leading spacing ends at 0', () => {
    expect(Array.from(sdDdim({ steps_offset: 0 }, 4).timesteps)).toEqual([750, 500, 250, 0]);
  });
});

describe('DPM-Solver timesteps (N+1 points, last dropped)', () => {
  const dpm = (extra: Record<string, unknown>, steps: number) => createScheduler({ ...SD15_CONFIG, ...extra }, steps, 'dpmpp-2m');

  it('default linspace spacing, 25 steps', () => {
    expect(Array.from(dpm({}, 25).timesteps)).toEqual([
      999, 959, 919, 879, 839, 799, 759, 719, 679, 639, 599, 559, 519, 480, 440, 400, 360, 320, 280, 240, 200, 160, 120, 80, 40,
    ]);
  });

  it('leading spacing uses ⌊T/(N+1)⌋: 25 steps, offset 1 → 951, 913, …, 39', () => {
    expect(Array.from(dpm({ timestep_spacing: 'leading' }, 25).timesteps)).toEqual(arithmetic(951, 38, 25));
  });

  it('trailing spacing matches DDIM trailing', () => {
    expect(Array.from(dpm({ timestep_spacing: 'trailing' }, 50).timesteps)).toEqual(arithmetic(999, 20, 50));
  });
});

describe('Euler timesteps are float32 for linspace spacing', () => {
  it('SD config, 30 steps → 999, 964.5517, …, 0', () => {
    const s = createScheduler(SD15_CONFIG, 30, 'euler');
    expect(s.timesteps[0]).toBe(999);
    expect(s.timesteps[1]).toBe(Math.fround(999 - 999 / 29));
    expect(s.timesteps[29]).toBe(0);
  });
});
