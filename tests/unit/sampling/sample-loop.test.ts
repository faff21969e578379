/**
 * The pure sampling loop (core/sampling/sample.ts) with small deterministic denoisers written
 * here: plan routing, the hook chain's order, guidance, stochastic noise, video-shaped latents,
 * and the refusals for inputs that do not fit.
 */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { Branch } from '../../../core/sampling/branch';
import type { BranchOutputs, DenoiseModel } from '../../../core/sampling/denoise-model';
import { latentDims, latentSize, type LatentShape } from '../../../core/sampling/latent-shape';
import { sample } from '../../../core/sampling/sample';
import type { StepHook } from '../../../core/sampling/step-hooks';
import { splitPlan, uniformPlan } from '../../../core/sampling/step-plan';

const FLOW = { _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 };
const IMAGE: LatentShape = { channels: 2, height: 3, width: 3 };

/** out = scale·x + branch offset: linear, so runs can be compared exactly. Counts its calls. */
class LinearModel implements DenoiseModel {
  calls: number[] = [];
  constructor(private readonly scale: number) {}
  async predict(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs> {
    this.calls.push(timestep);
    return new Map(branches.map((b) => [b, x.map((v) => this.scale * v + (b === 'cond' ? 0.1 : -0.1))]));
  }
}

const noise = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1));

describe('sample()', () => {
  it('routes each step to the model its plan names', async () => {
    const large = new LinearModel(0.5);
    const small = new LinearModel(0.25);
    const scheduler = createScheduler(FLOW, 10);
    await sample({ scheduler, plan: splitPlan(10, 'large', 4, 'small'), models: new Map([['large', large], ['small', small]]), hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 1 });
    expect(large.calls).toEqual([...scheduler.timesteps.slice(0, 4)]);
    expect(small.calls).toEqual([...scheduler.timesteps.slice(4)]);
  });

  it('K = N of a split plan gives exactly the single-model latents', async () => {
    const run = (plan: readonly string[]) =>
      sample({ scheduler: createScheduler(FLOW, 8), plan, models: new Map([['a', new LinearModel(0.5)], ['b', new LinearModel(0.2)]]), hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 3 });
    expect((await run(splitPlan(8, 'a', 8, 'b'))).latents).toEqual((await run(uniformPlan(8, 'a'))).latents);
    expect((await run(splitPlan(8, 'a', 0, 'b'))).latents).toEqual((await run(uniformPlan(8, 'b'))).latents);
    expect((await run(splitPlan(8, 'a', 3, 'b'))).latents).not.toEqual((await run(uniformPlan(8, 'a'))).latents);
  });

  it('runs hooks in chain order: a supplying beforeCall skips the model; correct precedes afterCall', async () => {
    const log: string[] = [];
    const model = new LinearModel(0.5);
    const skipOdd: StepHook = {
      name: 'skip',
      beforeCall: (c) => (c.index % 2 === 1 ? new Map([['cond', new Float32Array(18)]]) : undefined),
      afterCall: (c) => log.push(`skip.after ${c.index}`),
    };
    const fix: StepHook = {
      name: 'fix',
      correct: (c, out) => {
        log.push(`fix.correct ${c.index}`);
        return new Map([...out].map(([b, v]) => [b, v.map((x) => x + 1)]));
      },
      afterCall: (c, out) => log.push(`fix.after ${c.index} ${(out.get('cond') as Float32Array)[0]?.toFixed(3)}`),
    };
    const r = await sample({ scheduler: createScheduler(FLOW, 4), plan: uniformPlan(4, 'm'), models: new Map([['m', model]]), hooks: [skipOdd, fix], shape: IMAGE, initialNoise: noise(18), cfg: 1 });
    expect(r.computeSteps).toEqual([true, false, true, false]);
    expect(model.calls).toHaveLength(2);
    expect(log.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['fix.correct 0', 'skip.after 0', 'fix.after 0', 'fix.correct 2', 'skip.after 2', 'fix.after 2']);
    // fix.after sees the corrected output: 0.5·x + 0.1 + 1 at element 0 of step 0's input.
    expect(log[2]).toBe(`fix.after 0 ${(0.5 * Math.fround(Math.sin(1)) + 1.1).toFixed(3)}`);
  });

  it('guides with cfg: uncond + cfg·(cond − uncond)', async () => {
    const r = await sample({ scheduler: createScheduler(FLOW, 1), plan: ['m'], models: new Map([['m', new LinearModel(0)]]), hooks: [], shape: IMAGE, initialNoise: new Float32Array(18), cfg: 4 });
    // out = −0.1 + 4·(0.2) = 0.7 everywhere; one flow step from σ=1 to 0: x − 0.7.
    expect(Math.abs((r.latents[0] as number) + 0.7)).toBeLessThan(1e-6);
  });

  it('feeds per-step noise to a stochastic sampler, and refuses a run without it', async () => {
    const ddim = { _class_name: 'DDIMScheduler', num_train_timesteps: 1000, beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 };
    const base = { plan: uniformPlan(5, 'm'), hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 1 };
    const asked: number[] = [];
    const withNoise = (k: number) => ({ ...base, models: new Map([['m', new LinearModel(0.3)]]), scheduler: createScheduler(ddim, 5, 'ddim', { eta: 1 }), stepNoise: (i: number) => (asked.push(i), noise(18).map((v) => v * k)) });
    const a = await sample(withNoise(1));
    // The last step lands on ᾱ = 1 (set_alpha_to_one), where σ_η = 0: no noise is drawn there.
    expect(asked).toEqual([0, 1, 2, 3]);
    expect((await sample(withNoise(1))).latents).toEqual(a.latents);
    expect((await sample(withNoise(-1))).latents).not.toEqual(a.latents);
    await expect(sample({ ...base, models: new Map([['m', new LinearModel(0.3)]]), scheduler: createScheduler(ddim, 5, 'ddim', { eta: 1 }) })).rejects.toThrow(/needs 18 noise values/);
  });

  it('runs a video latent [C, F, h, w] through the same loop', async () => {
    const video: LatentShape = { channels: 2, frames: 4, height: 3, width: 3 };
    expect(latentDims(video)).toEqual([2, 4, 3, 3]);
    const r = await sample({ scheduler: createScheduler(FLOW, 3), plan: uniformPlan(3, 'm'), models: new Map([['m', new LinearModel(0.5)]]), hooks: [], shape: video, initialNoise: noise(latentSize(video)), cfg: 2 });
    expect(r.latents).toHaveLength(72);
    expect(r.latents.every(Number.isFinite)).toBe(true);
  });

  it('refuses a plan or noise that does not fit', async () => {
    const models = new Map([['m', new LinearModel(0.5)]]);
    const scheduler = createScheduler(FLOW, 3);
    await expect(sample({ scheduler, plan: uniformPlan(2, 'm'), models, hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 1 })).rejects.toThrow(/plan has 2 steps, the scheduler 3/);
    await expect(sample({ scheduler, plan: uniformPlan(3, 'x'), models, hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 1 })).rejects.toThrow(/model\(s\) x/);
    await expect(sample({ scheduler, plan: uniformPlan(3, 'm'), models, hooks: [], shape: IMAGE, initialNoise: noise(17), cfg: 1 })).rejects.toThrow(/17 values, the latent 18/);
    await expect(sample({ scheduler, plan: uniformPlan(3, 'm'), models, hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 1, useProbe: true })).rejects.toThrow(/no probe/);
    await expect(sample({ scheduler, plan: uniformPlan(3, 'm'), models, hooks: [], shape: { channels: 2, frames: 0, height: 3, width: 3 }, initialNoise: noise(0), cfg: 1 })).rejects.toThrow(/latent frames must be a positive integer/);
  });

  it('a checkpoint that throws stops the run before the next step', async () => {
    const model = new LinearModel(0.5);
    const run = sample({ scheduler: createScheduler(FLOW, 6), plan: uniformPlan(6, 'm'), models: new Map([['m', model]]), hooks: [], shape: IMAGE, initialNoise: noise(18), cfg: 1, checkpoint: (i) => { if (i === 3) throw new Error('stop at 3'); } });
    await expect(run).rejects.toThrow('stop at 3');
    expect(model.calls).toHaveLength(3);
  });
});
