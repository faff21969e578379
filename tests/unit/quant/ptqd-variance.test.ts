/**
 * PTQD's variance correction: the fit measures the error a line leaves unexplained, and a
 * stochastic step injects that much less noise (σ′² = σ² − λ·b²·σ_r²/(1+k)²); deterministic
 * steps and strength 0 are untouched.
 */
import { describe, expect, it } from 'vitest';
import { compensationHook } from '../../../core/quant/compensation-hook';
import type { CompensationTables } from '../../../core/quant/compensation-tables';
import { SharedSlope } from '../../../core/quant/regression';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import { sample } from '../../../core/sampling/sample';
import { uniformPlan } from '../../../core/sampling/step-plan';

describe('SharedSlope residual variance', () => {
  it('recovers the slope and the variance of the noise around the line', () => {
    const line = new SharedSlope(2);
    // y = 0.5·x + c + n, with n alternating ±0.3 (variance 0.09), over two channels of 4 values.
    for (let r = 0; r < 50; r++) {
      const x = Float32Array.from({ length: 8 }, (_, j) => Math.sin(r * 8 + j) * 2);
      const y = Float32Array.from(x, (v, j) => 0.5 * v + (j < 4 ? 0.1 : -0.2) + (j % 2 === 0 ? 0.3 : -0.3));
      line.add(x, y);
    }
    const fit = line.fit();
    expect(fit.slope).toBeCloseTo(0.5, 2);
    expect(fit.residualVariance).toBeCloseTo(0.09, 2);
  });
});

const DDIM = { _class_name: 'DDIMScheduler', num_train_timesteps: 1000, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 };

function tables(steps: number, residual: number): CompensationTables {
  const zeros = () => Array.from({ length: steps }, () => [0, 0]);
  return {
    format: 'studio-quant-compensation',
    version: 1,
    key: { componentHash: 'h', variant: 'int8-w8a8', variantSha256: 's', scheduler: 'ddim', steps, cfg: 1, width: 8, height: 8 },
    channels: 2,
    fit: { prompts: 1, seed: 0 },
    ptqd: { k: new Array<number>(steps).fill(0.25), mu: zeros(), residualVar: new Array<number>(steps).fill(residual) },
    tcec: { K: zeros(), mu: zeros(), G: zeros(), beta: zeros() },
    strength: { ptqd: 1, tcec: 1 },
  };
}

describe('the PTQD hook on a stochastic sampler', () => {
  const steps = 5;
  const run = async (residual: number, strength: number, eta: number) => {
    const scheduler = createScheduler(DDIM, steps, 'ddim', { eta });
    const hook = compensationHook({ method: 'ptqd', tables: tables(steps, residual), strength, cfg: 1, coefficients: (i) => scheduler.stepCoefficients(i), noiseStd: (i) => scheduler.stepNoiseStd(i) });
    const scales = Array.from({ length: steps }, (_, i) => hook.noiseScale?.({ index: i, numSteps: steps, timestep: 0, model: 'm', inputs: new Map() }) ?? 1);
    const model = { predict: async (x: Float32Array) => new Map([['cond', x.map((v) => 0.1 * v)]]) as never };
    const out = await sample({ scheduler, plan: uniformPlan(steps, 'm'), models: new Map([['m', model]]), hooks: [hook], shape: { channels: 2, height: 2, width: 2 }, initialNoise: Float32Array.from({ length: 8 }, (_, i) => Math.cos(i)), stepNoise: () => new Float32Array(8).fill(1), cfg: 1 });
    return { scales, latents: out.latents, scheduler };
  };

  it('lowers the injected noise by the propagated residual variance, and only where noise is injected', async () => {
    const { scales, scheduler } = await run(0.04, 1, 1);
    for (let i = 0; i < steps; i++) {
      const sigma = scheduler.stepNoiseStd(i);
      const { b } = scheduler.stepCoefficients(i);
      const want = sigma > 0 ? Math.sqrt(Math.max(0, sigma * sigma - (b * b * 0.04) / 1.25 ** 2)) / sigma : 1;
      expect(scales[i]).toBeCloseTo(want, 12);
    }
    expect(scales.slice(0, steps - 1).every((s) => s < 1)).toBe(true);
  });

  it('changes nothing at strength 0, with no residual, or on a deterministic sampler', async () => {
    expect((await run(0.04, 0, 1)).scales).toEqual([1, 1, 1, 1, 1]);
    expect((await run(0, 1, 1)).scales).toEqual([1, 1, 1, 1, 1]);
    expect((await run(0.04, 1, 0)).scales).toEqual([1, 1, 1, 1, 1]);
    // A lower noise scale moves the result: the correction reaches the latent.
    expect((await run(0.04, 1, 1)).latents).not.toEqual((await run(0, 1, 1)).latents);
  });
});
