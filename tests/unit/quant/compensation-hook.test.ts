/**
 * The compensation hook: strength 0 changes nothing (bit for bit through the sampling loop),
 * PTQD and TCEC undo a known linear error exactly, and TCEC's carried term follows the
 * scheduler's a/b and is dropped after a step that ran no model.
 */
import { describe, expect, test } from 'vitest';
import { compensationHook } from '../../../core/quant/compensation-hook';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { sample } from '../../../core/sampling/sample';
import type { Branch } from '../../../core/sampling/branch';
import type { DenoiseModel } from '../../../core/sampling/denoise-model';
import type { StepCall } from '../../../core/sampling/step-hooks';
import { uniformPlan } from '../../../core/sampling/step-plan';
import { tables } from './fixtures';

const C = 2;
const PER = 4;
const call = (index: number, numSteps = 3): StepCall => ({ index, numSteps, timestep: 500, model: 'm', inputs: new Map() });
const cond = (f: (j: number) => number) => new Map<Branch, Float32Array>([['cond', Float32Array.from({ length: C * PER }, (_, j) => f(j))]]);

describe('compensation hook', () => {
  test('strength 0 returns the very outputs, and a sampled run is bit-identical to one without the hook', async () => {
    const t = tables(6, 4, () => [0.3, -0.2, 0.1, 0.05], () => 0.1);
    const hook = compensationHook({ method: 'tcec', tables: t, strength: 0, cfg: 3, coefficients: () => ({ a: 1, b: -0.1 }) });
    const outs = cond((j) => j);
    expect(hook.correct?.(call(0, 6), outs)).toBe(outs);

    const scheduler = () => createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 }, 6, 'default');
    const model: DenoiseModel = {
      predict: async (x, timestep, branches) => new Map(branches.map((b) => [b, Float32Array.from(x, (v, j) => Math.sin(v * 3 + j + timestep / 100 + (b === 'cond' ? 1 : 0)))])),
    };
    const run = async (withHook: boolean) => {
      const s = scheduler();
      const hooks = withHook ? [compensationHook({ method: 'tcec', tables: t, strength: 0, cfg: 3, coefficients: (i) => s.stepCoefficients(i) })] : [];
      return (await sample({ scheduler: s, plan: uniformPlan(6, 'm'), models: new Map([['m', model]]), hooks, shape: { channels: 4, height: 2, width: 2 }, initialNoise: Float32Array.from({ length: 16 }, (_, j) => Math.cos(j)), cfg: 3 })).latents;
    };
    expect(Buffer.from((await run(true)).buffer)).toEqual(Buffer.from((await run(false)).buffer));
  });

  test('PTQD and TCEC recover ε from ε̂ = (1 + k)·ε + μ (per channel for TCEC)', () => {
    const k = 0.25;
    const mu = [0.4, -0.2];
    const eps = (j: number) => Math.sin(j * 0.9);
    const quantized = cond((j) => (1 + k) * eps(j) + (mu[Math.floor(j / PER)] as number));
    // TCEC's Δ = ε̂ − ε = K·ε̂ + μ′ with K = k/(1+k), μ′ = μ/(1+k).
    const t = tables(3, C, (name) => (name === 'K' ? [k / (1 + k), k / (1 + k)] : name === 'mu' ? mu.map((m) => m / (1 + k)) : name === 'ptqd.mu' ? mu : [0, 0]), () => k);
    for (const method of ['ptqd', 'tcec'] as const) {
      const hook = compensationHook({ method, tables: t, strength: 1, cfg: 1, coefficients: () => ({ a: 1, b: -0.3 }) });
      const got = hook.correct?.(call(0), quantized).get('cond') as Float32Array;
      got.forEach((v, j) => expect(v).toBeCloseTo(eps(j), 5));
    }
  });

  test('under guidance both branches shift by the same term, so the guided prediction is corrected', () => {
    const t = tables(3, C, (name) => (name === 'K' ? [0.1, 0.2] : [0, 0]));
    const hook = compensationHook({ method: 'tcec', tables: t, strength: 1, cfg: 4, coefficients: () => ({ a: 1, b: -0.3 }) });
    const u = Float32Array.from({ length: C * PER }, (_, j) => j * 0.1);
    const c = Float32Array.from({ length: C * PER }, (_, j) => 1 - j * 0.05);
    const out = hook.correct?.(call(0), new Map([['uncond', u], ['cond', c]])) as Map<Branch, Float32Array>;
    for (let j = 0; j < C * PER; j++) {
      const g = (u[j] as number) + 4 * ((c[j] as number) - (u[j] as number));
      const g2 = (out.get('uncond')?.[j] as number) + 4 * ((out.get('cond')?.[j] as number) - (out.get('uncond')?.[j] as number));
      expect(g2).toBeCloseTo(g - (j < PER ? 0.1 : 0.2) * g, 4);
    }
  });

  test('the carried state error: (a_i/b_i)·(G·b_{i−1}·ε̂_{i−1} + β), only after a computed previous step', () => {
    const t = tables(3, C, (name) => (name === 'G' ? [0.5, 0] : name === 'beta' ? [0, 0.01] : [0, 0]));
    const coeff = (i: number) => ({ a: 1, b: i === 0 ? -0.2 : -0.4 });
    const hook = compensationHook({ method: 'tcec', tables: t, strength: 1, cfg: 1, coefficients: coeff });
    const first = cond(() => 2);
    expect(Array.from(hook.correct?.(call(0), first).get('cond') as Float32Array)).toEqual(new Array(C * PER).fill(2));
    const second = hook.correct?.(call(1), cond(() => 1)).get('cond') as Float32Array;
    // channel 0: δ̂ = 0.5·(−0.2·2) = −0.2, d = (1/−0.4)·(−0.2) = 0.5; channel 1: δ̂ = 0.01, d = −0.025.
    expect(second[0]).toBeCloseTo(1 - 0.5, 6);
    expect(second[PER]).toBeCloseTo(1 + 0.025, 6);
    // Step 2 after no call at step 1 (a cache reuse): no carried term.
    const fresh = compensationHook({ method: 'tcec', tables: t, strength: 1, cfg: 1, coefficients: coeff });
    fresh.correct?.(call(0), first);
    expect(Array.from(fresh.correct?.(call(2), cond(() => 1)).get('cond') as Float32Array)).toEqual(new Array(C * PER).fill(1));
  });

  test('refuses a run with another step count, and a negative strength', () => {
    const hook = compensationHook({ method: 'ptqd', tables: tables(3, C), strength: 1, cfg: 1, coefficients: () => ({ a: 1, b: 1 }) });
    expect(() => hook.correct?.(call(0, 5), cond(() => 0))).toThrow(/3 steps, the run has 5/);
    expect(() => compensationHook({ method: 'ptqd', tables: tables(3, C), strength: -1, cfg: 1, coefficients: () => ({ a: 1, b: 1 }) })).toThrow(/≥ 0/);
  });
});
