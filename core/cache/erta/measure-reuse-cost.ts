/**
 * ERTACache (a), measured: what reusing a step's cached output really costs in the final latent,
 * measured on a calibration trajectory by re-running the sampler (ertacache.md, "Placement by
 * measured cost").
 *
 * For one prompt: the uncached run x_0 … x_T (T model calls), then for every step k = 1..T−1 a
 * branch off it that reuses step k−1's residual at step k exactly as the policy does
 * (ṽ_k = x_k + r_{k−1} per CFG branch, guided as the sampler guides), steps on with the scheduler
 * from its state at k, and runs the model on every later step to the end. Per step k it records
 *   e_k  = ‖g̃_k − g_k‖₂          the guided output error reuse injects (model-output units)
 *   D_k  = ‖x̃_T − x_T‖₂          what is left of it in the final latent, or in the decoded
 *                                image when the caller gives a decoder (finalImage), which is
 *                                what PSNR compares
 *   P_k  = ‖x̂₀(k+1)~ − x̂₀(k+1)‖₂ what is left of it in the next step's x̂₀ prediction (the final
 *                                latent at k = T−1), which needs one model call instead of T−k−1
 * all squared and summed over the latent. The gains D_k/e_k and P_k/e_k are per unit of output
 * error, so they hold the step's size Δσ_k and how much of a deviation at that noise level the
 * rest of the run keeps: what the earlier proxy G(σ)·Δt assumed with a fitted data scale.
 * Cost: T + Σ_{k=1}^{T−2} (T−1−k) = (T² − T)/2 + 1 model calls per prompt (1,226 at T = 50).
 * Plain reuse is measured (no rectification, no time adjustment): the profile is recorded before
 * any config is chosen, and the gain is a property of the trajectory, not of the injected error.
 */
import { applyGuidance } from '../../sampler/guidance';
import type { Scheduler } from '../../sampler/types';
import type { Branch } from '../../sampling/branch';
import type { BranchOutputs, DenoiseModel } from '../../sampling/denoise-model';
import { predictX0 } from '../../sampling/preview-x0';
import type { MeasuredReuseCost } from '../profile/profile-types';

export interface ReuseCostRun {
  model: DenoiseModel;
  /** A fresh scheduler for the run's schedule; driven from step 0 and re-seated with importState. */
  scheduler: Scheduler;
  /** Standard normal starting noise (the run's seed), latent-sized. */
  initialNoise: Float32Array;
  cfg: number;
  /** Step i's fresh noise where the scheduler needs it (stochastic samplers); the same noise serves every branch. */
  stepNoise?: (stepIndex: number) => Float32Array;
  /** Called before every model call; throw to stop (cancellation). */
  checkpoint?: () => void;
  /**
   * The image a final latent decodes to, as PSNR sees it (values clamped to the displayed range):
   * given, D_k is measured on it instead of on the latent. One decode per branch.
   */
  finalImage?: (latent: Float32Array) => Promise<Float32Array>;
  /** After each model call: calls done, of `total`. */
  onCall?: (done: number, total: number) => void;
}

/** One prompt's squared norms per step k (index 0 unused, 0): injected error, final deviation, next-x̂₀ deviation. */
export interface PromptReuseCost {
  error2: number[];
  final2: number[];
  x0Next2: number[];
}

/** Model calls measurePromptReuseCost makes for T steps. */
export function reuseCostCalls(T: number): number {
  return T + ((T - 2) * (T - 1)) / 2;
}

/** @throws RangeError on a latent of the wrong size; whatever the model or checkpoint throws */
export async function measurePromptReuseCost(run: ReuseCostRun): Promise<PromptReuseCost> {
  const { model, scheduler, cfg } = run;
  const T = scheduler.numSteps;
  const branches: Branch[] = cfg > 1 ? ['uncond', 'cond'] : ['cond'];
  const total = reuseCostCalls(T);
  let calls = 0;
  const predict = async (x: Float32Array, i: number): Promise<BranchOutputs> => {
    run.checkpoint?.();
    const out = await model.predict(x, scheduler.timesteps[i] as number, branches);
    run.onCall?.(++calls, total);
    // The outputs may be views of one batched result; keep copies.
    return new Map([...out].map(([b, v]) => [b, v.slice()]));
  };
  const guide = (out: BranchOutputs): Float32Array => (branches.length === 2 ? applyGuidance(out.get('uncond') as Float32Array, out.get('cond') as Float32Array, cfg) : (out.get('cond') as Float32Array));
  const noise = (i: number): Float32Array | undefined => (scheduler.needsNoise(i) ? run.stepNoise?.(i) : undefined);

  // The uncached reference: latents L_i, scheduler states, model inputs, outputs and guided outputs per step.
  const latents: Float32Array[] = [run.initialNoise.map((v) => v * scheduler.initNoiseSigma)];
  const states = [];
  const inputs: Float32Array[] = [];
  const outputs: BranchOutputs[] = [];
  const guided: Float32Array[] = [];
  for (let i = 0; i < T; i++) {
    states.push(scheduler.exportState());
    const x = scheduler.scaleModelInput(latents[i] as Float32Array, i);
    const out = await predict(x, i);
    inputs.push(x);
    outputs.push(out);
    guided.push(guide(out));
    latents.push(scheduler.step(guided[i] as Float32Array, i, latents[i] as Float32Array, noise(i)));
  }
  // What D_k is measured on: the decoded image when the caller can decode, else the final latent.
  const outcome = async (latent: Float32Array): Promise<Float32Array> => (run.finalImage === undefined ? latent : run.finalImage(latent));
  const final = await outcome(latents[T] as Float32Array);
  const x0 = (i: number, x: Float32Array, g: Float32Array) => predictX0(scheduler.predictionType, scheduler.sigmas[i] as number, x, g);

  const cost: PromptReuseCost = { error2: new Array<number>(T).fill(0), final2: new Array<number>(T).fill(0), x0Next2: new Array<number>(T).fill(0) };
  for (let k = 1; k < T; k++) {
    const x = inputs[k] as Float32Array;
    const previousInput = inputs[k - 1] as Float32Array;
    // The policy's reuse: each branch's output is x_k + r_{k−1}, r_{k−1} = v_{k−1} − x_{k−1}.
    const reused: BranchOutputs = new Map(branches.map((b) => [b, x.map((xv, n) => xv + ((outputs[k - 1]?.get(b) as Float32Array)[n] as number) - (previousInput[n] as number))]));
    const g = guide(reused);
    cost.error2[k] = distance2(g, guided[k] as Float32Array);
    scheduler.importState(states[k] as ReturnType<Scheduler['exportState']>);
    let latent = scheduler.step(g, k, latents[k] as Float32Array, noise(k));
    for (let i = k + 1; i < T; i++) {
      const xi = scheduler.scaleModelInput(latent, i);
      const gi = guide(await predict(xi, i));
      if (i === k + 1) cost.x0Next2[k] = distance2(x0(i, xi, gi), x0(i, inputs[i] as Float32Array, guided[i] as Float32Array));
      latent = scheduler.step(gi, i, latent, noise(i));
    }
    cost.final2[k] = distance2(await outcome(latent), final);
    if (k === T - 1) cost.x0Next2[k] = cost.final2[k] as number;
  }
  return cost;
}

/**
 * The profile's record: per step k, gain = √(Σ_prompts D_k² / Σ_prompts e_k²), the RMS final
 * deviation per unit of RMS injected output error (0 at step 0, and where reuse changes nothing).
 */
export function combineReuseCosts(prompts: readonly PromptReuseCost[], space: MeasuredReuseCost['space']): MeasuredReuseCost {
  if (prompts.length === 0) throw new RangeError('no prompt was measured');
  const T = (prompts[0] as PromptReuseCost).error2.length;
  const gain = (pick: (p: PromptReuseCost) => number[]) =>
    Array.from({ length: T }, (_, k) => {
      const e = prompts.reduce((s, p) => s + (p.error2[k] as number), 0);
      const d = prompts.reduce((s, p) => s + (pick(p)[k] as number), 0);
      return k === 0 || !(e > 0) ? 0 : Math.sqrt(d / e);
    });
  return { method: 'rollout', space, prompts: prompts.length, finalGain: gain((p) => p.final2), x0Gain: gain((p) => p.x0Next2) };
}

function distance2(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`reuse cost: ${a.length} values against ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return s;
}
