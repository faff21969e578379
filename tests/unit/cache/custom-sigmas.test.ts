import { describe, expect, it } from 'vitest';
import { adjustedSigmaGrid } from '../../../core/cache/erta/time-grid';
import { asConfigObject } from '../../../core/sampler/config-fields';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { nominalSigmas, withSigmaGrid } from '../../../core/sampler/custom-sigmas';
import { readEulerSettings, sigmaTable } from '../../../core/sampler/euler-discrete';
import { sigmaSpaceAlphasCumprod } from '../../../core/sampler/noise-schedule-config';
import { interpAtIndex } from '../../../core/sampler/numpy-semantics';
import type { Scheduler } from '../../../core/sampler/types';

const FLOW = { _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 3 };
const EULER = { _class_name: 'EulerDiscreteScheduler', num_train_timesteps: 1000, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, prediction_type: 'v_prediction' };

function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2);
}

/** Runs every step of `s` on fixed fake model outputs; returns the final sample. */
function runSteps(s: Scheduler): Float32Array {
  let x = values(16, 1);
  for (let i = 0; i < s.numSteps; i++) x = s.step(values(16, i + 2), i, s.scaleModelInput(x, i));
  return x;
}

describe('Euler over a custom sigma grid', () => {
  for (const [name, config] of [['flow-match Euler', FLOW], ['Euler-discrete (v)', EULER]] as const) {
    it(`${name}: on its own grid it is bit-identical to the scheduler`, () => {
      const base = createScheduler(config, 9);
      const own = nominalSigmas(base) as Float64Array;
      const custom = withSigmaGrid(base, own);
      expect(Array.from(custom.timesteps)).toEqual(Array.from(base.timesteps));
      expect(custom.initNoiseSigma).toBe(base.initNoiseSigma);
      expect(Array.from(runSteps(custom))).toEqual(Array.from(runSteps(base)));
      const x = values(16, 40);
      expect(Array.from(custom.scaleModelInput(x, 3))).toEqual(Array.from(base.scaleModelInput(x, 3)));
    });
  }

  it('flow: a moved grid point feeds τ·T and steps by the moved Δσ', () => {
    const base = createScheduler(FLOW, 5);
    const grid = Float64Array.from(nominalSigmas(base) as Float64Array);
    grid[2] = 0.6;
    const s = withSigmaGrid(base, grid);
    expect(s.timesteps[2]).toBe(Math.fround(600));
    const x = values(4, 7);
    const v = values(4, 8);
    const out = s.step(v, 1, x);
    out.forEach((o, i) => expect(o).toBeCloseTo((x[i] as number) + (0.6 - (grid[1] as number)) * (v[i] as number), 6));
  });

  it('Euler-discrete: a moved grid point feeds the fractional timestep whose σ(t) is τ', () => {
    const base = createScheduler(EULER, 6);
    const table = sigmaTable(sigmaSpaceAlphasCumprod(readEulerSettings(asConfigObject(EULER))));
    const grid = Float64Array.from(nominalSigmas(base) as Float64Array);
    grid[3] = ((grid[2] as number) + (grid[3] as number)) / 2;
    const s = withSigmaGrid(base, grid);
    const t = s.timesteps[3] as number;
    expect(Number.isInteger(t)).toBe(false);
    expect(interpAtIndex(t, table)).toBeCloseTo(grid[3] as number, 9);
  });

  it('refuses DDIM, a wrong length, an increasing grid or a moved start', () => {
    const ddim = createScheduler({ ...EULER, _class_name: 'DDIMScheduler' }, 5);
    expect(nominalSigmas(ddim)).toBeUndefined();
    expect(() => withSigmaGrid(ddim, [1, 0])).toThrow(/flow-match Euler or Euler/);
    const base = createScheduler(FLOW, 4);
    const own = Array.from(nominalSigmas(base) as Float64Array);
    expect(() => withSigmaGrid(base, own.slice(1))).toThrow(/steps \+ 1/);
    expect(() => withSigmaGrid(base, [own[0] as number, 0.2, 0.5, 0.1, 0])).toThrow(/increases/);
    expect(() => withSigmaGrid(base, [0.9, ...own.slice(1)])).toThrow(/starts at/);
  });
});

describe('ERTACache time grid', () => {
  const nominal = Array.from(nominalSigmas(createScheduler(FLOW, 10)) as Float64Array);

  it('equals the nominal grid when nothing is reused (or φ = 1)', () => {
    expect(Array.from(adjustedSigmaGrid(nominal, new Array(10).fill(true), new Array(10).fill(0.3)))).toEqual(nominal);
    const reuse = nominal.slice(1).map((_, k) => k % 3 !== 1);
    expect(Array.from(adjustedSigmaGrid(nominal, reuse, new Array(10).fill(1)))).toEqual(nominal);
  });

  it('shrinks reused steps by φ, spreads the rest in proportion, and ends exactly at 0', () => {
    const compute = [true, true, false, false, true, true, false, true, true, true];
    const phi = [1, 1, 0.5, 0.8, 1, 1, 0.25, 1, 1, 1];
    const tau = adjustedSigmaGrid(nominal, compute, phi);
    expect(tau[0]).toBe(nominal[0]);
    expect(tau[10]).toBe(0);
    // Reference: τ tracks the actual time; Δ'_k = (t_k − t_{k+1})·τ_k/t_k (end σ = 0).
    let t = nominal[0] as number;
    for (let k = 0; k < 10; k++) {
      const n = nominal[k] as number;
      const delta = ((n - (nominal[k + 1] as number)) * t) / n;
      t = k === 9 ? 0 : t - (compute[k] ? 1 : (phi[k] as number)) * delta;
      expect(tau[k + 1]).toBeCloseTo(t, 12);
    }
    for (let k = 0; k < 10; k++) expect(tau[k + 1] as number).toBeLessThanOrEqual(tau[k] as number);
    expect(tau[3] as number).toBeGreaterThan(nominal[3] as number);
  });

  it('keeps a non-zero end σ (Euler "sigma_min") exact', () => {
    const end = (nominal[9] as number) / 2;
    const withEnd = [...nominal.slice(0, 10), end];
    const tau = adjustedSigmaGrid(withEnd, [true, false, true, false, true, true, true, true, true, true], new Array(10).fill(0.5));
    expect(tau[10]).toBe(end);
    expect(Math.min(...tau)).toBe(end);
  });
});
