/**
 * TaylorSeer: the backward-difference table against hand-computed forecasts, and the policy on
 * trajectories where order 1 must be exact.
 */
import { describe, expect, it } from 'vitest';
import { validateCacheConfig } from '../../../core/cache/cache-config';
import { createCachePolicy } from '../../../core/cache/create-cache-policy';
import { spreadComputeSteps, taylorSeerComputeSteps, taylorSeerIntervalFor, uniformComputeSteps } from '../../../core/cache/forecast/forecast-schedules';
import { TaylorDifferences } from '../../../core/cache/forecast/taylor-differences';
import type { CachePolicy } from '../../../core/cache/types';
import { stepContext } from './policy-driver';

const one = (v: number) => Float32Array.of(v);

describe('TaylorDifferences (the paper\'s backward differences)', () => {
  it('order 1 is exact on a linear trajectory F = 5 − 2t, full steps 0, 3, 6', () => {
    const t = new TaylorDifferences(1);
    for (const s of [0, 3, 6]) t.update(s, one(5 - 2 * s));
    expect(t.forecast(7)[0]).toBe(-9);
    expect(t.forecast(8)[0]).toBe(-11);
    expect(t.forecast(9)[0]).toBe(-13);
  });

  it('F = t² at full steps 0, 4, 8: order 2 gives 64 + 12k + 2·k²/2, order 1 gives 64 + 12k', () => {
    // Δ¹ at 8: (64 − 16)/4 = 12, at 4: (16 − 0)/4 = 4; Δ² at 8: (12 − 4)/4 = 2.
    const o2 = new TaylorDifferences(2);
    const o1 = new TaylorDifferences(1);
    for (const s of [0, 4, 8]) {
      o2.update(s, one(s * s));
      o1.update(s, one(s * s));
    }
    expect(o2.difference(1)?.[0]).toBe(12);
    expect(o2.difference(2)?.[0]).toBe(2);
    expect(o2.forecast(9)[0]).toBe(77);
    expect(o2.forecast(10)[0]).toBe(92); // the truth is 100: backward differences lag by one interval
    expect(o1.forecast(10)[0]).toBe(88);
  });

  it('with two full steps order 2 uses the orders it has (here 1); with one it repeats the last value', () => {
    const t = new TaylorDifferences(2);
    t.update(0, one(3));
    expect(t.forecast(2)[0]).toBe(3);
    t.update(2, one(7));
    expect(t.difference(2)).toBeUndefined();
    expect(t.forecast(5)[0]).toBe(13);
  });
});

describe('TaylorSeer schedule', () => {
  it('computes the warm-up steps, then every interval-th step from the last of them', () => {
    const steps = taylorSeerComputeSteps(12, 3, 4);
    expect(steps.flatMap((c, i) => (c ? [i] : []))).toEqual([0, 1, 2, 6, 10]);
    expect(taylorSeerComputeSteps(50, 1, 4).filter(Boolean).length).toBe(13);
    expect(taylorSeerIntervalFor(50, 1, 13)).toBe(4);
    expect(taylorSeerIntervalFor(50, 1, 6)).toBe(9);
    expect(spreadComputeSteps(50, 6).flatMap((c, i) => (c ? [i] : []))).toEqual([0, 10, 20, 29, 39, 49]);
    expect(uniformComputeSteps(50, 6).flatMap((c, i) => (c ? [i] : []))).toEqual([0, 8, 17, 25, 33, 42]);
    expect(uniformComputeSteps(50, 10)).toEqual(Array.from({ length: 50 }, (_, i) => i % 5 === 0));
  });
});

/** Drives a policy over scalar steps; returns each step's output (computed or forecast). */
function run(policy: CachePolicy, inputs: number[], truth: (k: number) => number): { outputs: number[]; computed: boolean[] } {
  const outputs: number[] = [];
  const computed: boolean[] = [];
  inputs.forEach((x, k) => {
    const ctx = stepContext(k, inputs.length, { input: one(x), output: one(truth(k)) }, ['cond']);
    if (policy.decide(ctx) === 'compute') {
      policy.onComputed(ctx, new Map([['cond', one(truth(k))]]));
      outputs.push(truth(k));
      computed.push(true);
    } else {
      outputs.push(policy.reuse(ctx).get('cond')?.[0] as number);
      computed.push(false);
    }
  });
  return { outputs, computed };
}

describe('TaylorSeerPolicy', () => {
  const inputs = Array.from({ length: 10 }, (_, k) => 1 + 0.5 * k);

  it('order 1 forecasts a linear output exactly, on the output or on the residual (input linear too)', () => {
    for (const target of ['output', 'residual'] as const) {
      const policy = createCachePolicy(validateCacheConfig({ method: 'taylorseer', order: 1, interval: 3, target }));
      const { outputs, computed } = run(policy, inputs, (k) => 2 - 0.25 * k);
      expect(computed).toEqual([true, false, false, true, false, false, true, false, false, true]);
      // Until the second full step only Δ⁰ exists: steps 1, 2 repeat step 0's feature.
      outputs.slice(4).forEach((o, i) => expect(o).toBeCloseTo(2 - 0.25 * (i + 4), 6));
      expect(policy.forecastStats?.()).toEqual({ forecastSteps: computed.map((c) => !c), fallbackSteps: [] });
    }
  });

  it('falls back to computing a step whose forecast is not finite, and records it', () => {
    // float32: Δ¹ = (−3e38 − 3e38) / 1 overflows to −∞, so the forecast at step 2 is −∞.
    const policy = createCachePolicy(validateCacheConfig({ method: 'taylorseer', order: 1, warmup: 2, interval: 2, target: 'output' }));
    const values = [3e38, -3e38, 0, 0, 0, 0];
    const { computed } = run(policy, values.map(() => 0), (k) => values[k] as number);
    expect(computed.slice(0, 3)).toEqual([true, true, true]);
    expect(policy.forecastStats?.().fallbackSteps).toContain(2);
    expect(policy.forecastStats?.().forecastSteps[2]).toBe(false);
  });

  it('falls back when a forecast moves far more than the last measured change (order 2 on a kink)', () => {
    const policy = createCachePolicy(validateCacheConfig({ method: 'taylorseer', order: 2, interval: 2, fallbackBand: 1, target: 'output' }));
    // Full steps 0, 2, 4 see 0, 0, 10: Δ¹ = 5, Δ² = 2.5; at step 5 the order-2 term adds 1.25 to the order-1 move of 5 (> 1·5).
    const { computed } = run(policy, new Array<number>(6).fill(0), (k) => (k < 4 ? 0 : 10 * (k - 3)));
    expect(computed[5]).toBe(true);
    expect(policy.forecastStats?.().fallbackSteps).toEqual([5]);
  });
});
