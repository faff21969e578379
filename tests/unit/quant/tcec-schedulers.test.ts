/**
 * TCEC runs on every sampler the studio has, through the coefficients each scheduler exposes:
 * on DDIM, Euler, DPM-Solver++ 2M and flow-match Euler, strength 0 leaves the run bit for bit as
 * without the hook, and strength 1 changes it by a bounded amount.
 */
import { describe, expect, it } from 'vitest';
import { compensationHook } from '../../../core/quant/compensation-hook';
import type { CompensationTables } from '../../../core/quant/compensation-tables';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { Scheduler } from '../../../core/sampler/types';
import { sample } from '../../../core/sampling/sample';
import { uniformPlan } from '../../../core/sampling/step-plan';

const SD = { _class_name: 'DDIMScheduler', num_train_timesteps: 1000, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 };
const FLOW = { _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 };
const STEPS = 8;

function tables(): CompensationTables {
  const rows = (v: number) => Array.from({ length: STEPS }, () => [v, -v]);
  return {
    format: 'studio-quant-compensation',
    version: 1,
    key: { componentHash: 'h', variant: 'int8-w8a8', variantSha256: 's', scheduler: 'default', steps: STEPS, cfg: 2, width: 8, height: 8 },
    channels: 2,
    fit: { prompts: 1, seed: 0 },
    ptqd: { k: new Array<number>(STEPS).fill(0), mu: rows(0) },
    tcec: { K: rows(0.05), mu: rows(0.01), G: rows(0.1), beta: rows(0) },
    strength: { ptqd: 1, tcec: 1 },
  };
}

async function run(scheduler: () => Scheduler, strength: number | null): Promise<Float32Array> {
  const s = scheduler();
  const hooks = strength === null ? [] : [compensationHook({ method: 'tcec', tables: tables(), strength, cfg: 2, coefficients: (i) => s.stepCoefficients(i), noiseStd: (i) => s.stepNoiseStd(i) })];
  const model = {
    predict: async (x: Float32Array, _t: number, branches: readonly string[]) => new Map(branches.map((b) => [b, x.map((v, j) => 0.2 * v + (b === 'cond' ? 0.05 : -0.05) * Math.sin(j))])) as never,
  };
  const out = await sample({ scheduler: s, plan: uniformPlan(STEPS, 'm'), models: new Map([['m', model]]), hooks, shape: { channels: 2, height: 2, width: 2 }, initialNoise: Float32Array.from({ length: 8 }, (_, i) => Math.cos(i + 1)), cfg: 2 });
  return out.latents;
}

describe('TCEC on every sampler', () => {
  const cases: [string, () => Scheduler][] = [
    ['DDIM', () => createScheduler(SD, STEPS, 'ddim')],
    ['Euler', () => createScheduler(SD, STEPS, 'euler')],
    ['DPM-Solver++ 2M', () => createScheduler(SD, STEPS, 'dpmpp-2m')],
    ['flow-match Euler', () => createScheduler(FLOW, STEPS)],
  ];
  for (const [name, scheduler] of cases) {
    it(`${name}: strength 0 is the plain run; strength 1 moves it, boundedly`, async () => {
      const plain = await run(scheduler, null);
      expect(await run(scheduler, 0)).toEqual(plain);
      const corrected = await run(scheduler, 1);
      const moved = Math.max(...corrected.map((v, i) => Math.abs(v - (plain[i] as number))));
      expect(moved).toBeGreaterThan(0);
      expect(Number.isFinite(moved) && moved < 10).toBe(true);
    });
  }
});
