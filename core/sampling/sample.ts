/**
 * The denoising loop: one function for every model, precision and latent shape.
 *
 *   latents = initialNoise · initNoiseSigma
 *   for i in 0..N−1:
 *     checkpoint(i)                           (throws to cancel between steps)
 *     x       = scheduler.scaleModelInput(latents, i)
 *     outputs = hook chain around models[plan[i]].predict(x, t_i, branches)   (step-hooks.ts)
 *     pred    = cfg > 1 ? uncond + cfg·(cond − uncond) : cond
 *     latents = scheduler.step(pred, i, latents, noise_i)   noise_i only where needsNoise(i)
 *     await onStep(i + 1)                     (progress; a live preview decodes here, between steps)
 *
 * Pure TypeScript over Float32Arrays: the models, the noise and the hooks come in from outside,
 * so the same loop runs a local, remote, quantized or hybrid pair of denoisers on image or video
 * latents. Timing: `modelMs` is the time inside predict calls only, so denoise − model is the
 * loop's own cost (sampler, guidance, hooks) plus `probeMs`.
 */
import type { Branch } from './branch';
import { applyGuidance } from '../sampler/guidance';
import type { Scheduler } from '../sampler/types';
import type { BranchOutputs, DenoiseModel } from './denoise-model';
import { checkLatentShape, type LatentShape, latentSize } from './latent-shape';
import type { StepCall, StepHook } from './step-hooks';
import type { StepPlan } from './step-plan';

export interface SampleOptions {
  scheduler: Scheduler;
  /** Model key per step (length scheduler.numSteps). */
  plan: StepPlan;
  models: ReadonlyMap<string, DenoiseModel>;
  hooks: readonly StepHook[];
  shape: LatentShape;
  /** Standard normal starting noise, latentSize(shape) values. */
  initialNoise: Float32Array;
  /** Fresh standard normal noise for step i (stochastic samplers only); latentSize values. */
  stepNoise?: (stepIndex: number) => Float32Array;
  /** Guidance scale; > 1 runs both CFG branches. */
  cfg: number;
  /** Compute the model's probe every step (TeaCache, calibration on a model with a probe). */
  useProbe?: boolean;
  /** Milliseconds clock for the timings (performance.now where the host has it; core has no timer of its own). */
  now?: () => number;
  /** Called before every step; throw to stop (cancellation). */
  checkpoint?: (stepIndex: number) => void;
  /** After step i finished (i + 1 steps done); a returned promise is awaited before the next step (a live preview's decode), inside the step's time but outside modelMs. */
  onStep?: (done: number, total: number) => void | Promise<void>;
}

export interface SampleResult {
  /** The final latent, latentSize values. */
  latents: Float32Array;
  /** Per step: whether a model ran (false: a hook supplied the outputs). */
  computeSteps: boolean[];
  /** Milliseconds inside model predict calls. */
  modelMs: number;
  /** The same, per model key of the plan. */
  modelMsByKey: Map<string, number>;
  /** Milliseconds inside probe calls (cache overhead). */
  probeMs: number;
  /** Wall time of each step, ms. */
  stepMs: number[];
}

/** @throws RangeError on a plan, noise or model table that does not fit the scheduler; whatever a hook, model or checkpoint throws */
export async function sample(options: SampleOptions): Promise<SampleResult> {
  const { scheduler, plan, models, hooks, shape, cfg } = options;
  const size = latentSize(shape);
  checkInputs(options, size);
  const now = options.now ?? Date.now;
  const guided = cfg > 1;
  const branches: Branch[] = guided ? ['uncond', 'cond'] : ['cond'];
  let latents: Float32Array = new Float32Array(size);
  for (let i = 0; i < size; i++) latents[i] = (options.initialNoise[i] as number) * scheduler.initNoiseSigma;

  const result: SampleResult = { latents, computeSteps: [], modelMs: 0, modelMsByKey: new Map(), probeMs: 0, stepMs: [] };
  for (let i = 0; i < scheduler.numSteps; i++) {
    options.checkpoint?.(i);
    const stepStart = now();
    const modelKey = plan[i] as string;
    const model = models.get(modelKey) as DenoiseModel;
    const x = scheduler.scaleModelInput(latents, i);
    const call: StepCall = { index: i, numSteps: scheduler.numSteps, timestep: scheduler.timesteps[i] as number, model: modelKey, inputs: new Map(branches.map((b) => [b, x])) };
    if (options.useProbe) {
      if (model.probe === undefined) throw new RangeError(`model "${modelKey}" has no probe, but the run asks for one`);
      const t0 = now();
      call.probe = await model.probe(x, call.timestep, branches);
      result.probeMs += now() - t0;
    }
    let outputs = supplied(hooks, call);
    result.computeSteps.push(outputs === undefined);
    if (outputs === undefined) {
      const t0 = now();
      outputs = await model.predict(x, call.timestep, branches);
      const ms = now() - t0;
      result.modelMs += ms;
      result.modelMsByKey.set(modelKey, (result.modelMsByKey.get(modelKey) ?? 0) + ms);
      for (const h of hooks) if (h.correct) outputs = h.correct(call, outputs);
      for (const h of hooks) h.afterCall?.(call, outputs);
    }
    const pred = guide(outputs, guided, cfg, i);
    latents = scheduler.step(pred, i, latents, scheduler.needsNoise(i) ? scaledNoise(hooks, call, noiseFor(options, i, size)) : undefined);
    await options.onStep?.(i + 1, scheduler.numSteps);
    result.stepMs.push(now() - stepStart);
  }
  result.latents = latents;
  return result;
}

/** The first hook's replacement outputs, if any hook supplies them. */
function supplied(hooks: readonly StepHook[], call: StepCall): BranchOutputs | undefined {
  for (const h of hooks) {
    const out = h.beforeCall?.(call);
    if (out !== undefined) return out;
  }
  return undefined;
}

function guide(outputs: BranchOutputs, guided: boolean, cfg: number, index: number): Float32Array {
  const cond = outputs.get('cond');
  const uncond = outputs.get('uncond');
  if (cond === undefined || (guided && uncond === undefined)) throw new RangeError(`step ${index}: an output branch is missing`);
  return guided ? applyGuidance(uncond as Float32Array, cond, cfg) : cond;
}

/** The step's noise times the hooks' noise scales (the same array when every scale is 1). */
function scaledNoise(hooks: readonly StepHook[], call: StepCall, noise: Float32Array): Float32Array {
  let scale = 1;
  for (const h of hooks) if (h.noiseScale) scale *= h.noiseScale(call);
  if (!(scale >= 0 && scale <= 1)) throw new RangeError(`step ${call.index}: a noise scale must be in [0, 1], got ${scale}`);
  return scale === 1 ? noise : noise.map((v) => v * scale);
}

function noiseFor(options: SampleOptions, index: number, size: number): Float32Array {
  const noise = options.stepNoise?.(index);
  if (noise === undefined || noise.length !== size) throw new RangeError(`step ${index} needs ${size} noise values (stochastic sampler), got ${noise?.length ?? 'none'}`);
  return noise;
}

function checkInputs(options: SampleOptions, size: number): void {
  const { scheduler, plan, models } = options;
  checkLatentShape(options.shape);
  if (options.initialNoise.length !== size) throw new RangeError(`initial noise has ${options.initialNoise.length} values, the latent ${size}`);
  if (plan.length !== scheduler.numSteps) throw new RangeError(`the step plan has ${plan.length} steps, the scheduler ${scheduler.numSteps}`);
  const missing = [...new Set(plan)].filter((k) => !models.has(k));
  if (missing.length > 0) throw new RangeError(`the step plan names model(s) ${missing.join(', ')} that the run did not load`);
}
