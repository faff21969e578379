/**
 * State hand-over: a run can move to another scheduler instance mid-way (another model's loop,
 * another process) and continue bit for bit, multistep history included.
 */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { Scheduler, SchedulerState } from '../../../core/sampler/types';
import { SD15_CONFIG, testValues } from './reference-formulas';

/** Runs `s` from step `from` to `to` on a fixed pseudo-model; returns the latent. */
function run(s: Scheduler, x: Float32Array, from: number, to: number): Float32Array {
  let latent = x;
  for (let i = from; i < to; i++) latent = s.step(testValues(latent.length, 300 + i).map((v, k) => 0.3 * v + 0.1 * (latent[k] as number)), i, latent);
  return latent;
}

/** A deep copy, as a state that crossed a process boundary would be. */
function viaWire(state: SchedulerState): SchedulerState {
  return { ...state, history: state.history.map((h) => Float32Array.from(h)) };
}

describe('scheduler state hand-over', () => {
  for (const name of ['dpmpp-2m', 'ddim', 'euler'] as const) {
    it(`${name}: 20 steps split at 8 across two instances equal one instance`, () => {
      const x = testValues(256, 5);
      const whole = run(createScheduler(SD15_CONFIG, 20, name), x, 0, 20);
      const first = createScheduler(SD15_CONFIG, 20, name);
      const half = run(first, x, 0, 8);
      const second = createScheduler(SD15_CONFIG, 20, name);
      second.importState(viaWire(first.exportState()));
      expect(run(second, half, 8, 20)).toEqual(whole);
    });
  }
  it('DPM-Solver++ exports its previous data prediction; a fresh instance without it would differ', () => {
    const x = testValues(256, 6);
    const first = createScheduler(SD15_CONFIG, 20, 'dpmpp-2m');
    const half = run(first, x, 0, 8);
    const state = first.exportState();
    expect(state.nextStepIndex).toBe(8);
    expect(state.history).toHaveLength(1);
    expect(() => createScheduler(SD15_CONFIG, 20, 'dpmpp-2m').importState({ ...state, history: [] })).toThrow(/no previous data prediction/);
    expect(half.length).toBe(256);
  });
  it('a state from another schedule is refused', () => {
    const state = createScheduler(SD15_CONFIG, 20, 'dpmpp-2m').exportState();
    expect(() => createScheduler(SD15_CONFIG, 25, 'dpmpp-2m').importState(state)).toThrow(/20 steps cannot continue .* 25 steps/);
    expect(() => createScheduler(SD15_CONFIG, 20, 'ddim').importState(state)).toThrow(/DPMSolverMultistepScheduler/);
  });
});

describe('DDIM with eta > 0', () => {
  it('needs noise each step, is reproducible with the same noise, and differs from eta 0', () => {
    const x = testValues(128, 9);
    const out = testValues(128, 10);
    const noise = testValues(128, 11);
    const stochastic = createScheduler(SD15_CONFIG, 10, 'ddim', { eta: 1 });
    expect(stochastic.needsNoise(0)).toBe(true);
    expect(stochastic.config['eta']).toBe(1);
    expect(() => stochastic.step(out, 0, x)).toThrow(/needs 128 noise values/);
    const a = stochastic.step(out, 0, x, noise);
    const b = createScheduler(SD15_CONFIG, 10, 'ddim', { eta: 1 }).step(out, 0, x, noise);
    expect(a).toEqual(b);
    const deterministic = createScheduler(SD15_CONFIG, 10, 'ddim');
    expect(deterministic.needsNoise(0)).toBe(false);
    expect(deterministic.step(out, 0, x)).not.toEqual(a);
  });
  it('eta is refused for samplers that have none, and outside [0, 1]', () => {
    expect(() => createScheduler(SD15_CONFIG, 10, 'euler', { eta: 0.5 })).toThrow(/DDIM only/);
    expect(() => createScheduler(SD15_CONFIG, 10, 'ddim', { eta: 2 })).toThrow(/eta/);
  });
});
