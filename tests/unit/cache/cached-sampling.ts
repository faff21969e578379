/**
 * Test harness: the denoising loop the lead will write in main/pipeline/txt2img.ts, reduced to
 * its cache protocol (decide → compute + onComputed | reuse → guidance → scheduler.step), over a
 * denoiser given as a plain function. Also records calibration runs.
 */
import { ProfileRecorder } from '../../../core/cache/profile/profile-recorder';
import { branchesForCfg } from '../../../core/cache/profile/profile-types';
import type { Branch, CachePolicy, CacheStepContext } from '../../../core/cache/types';
import { applyGuidance } from '../../../core/sampler/guidance';
import type { Scheduler } from '../../../core/sampler/types';

/** Model output for one branch given the model input and the timestep fed to the model. */
export type Denoiser = (input: Float32Array, timestep: number, branch: Branch) => Float32Array;

export interface SampleResult {
  latents: Float32Array;
  /** Steps at which the model ran. */
  computed: number[];
}

export function sample(
  scheduler: Scheduler,
  denoiser: Denoiser,
  noise: Float32Array,
  cfg: number,
  policy?: CachePolicy,
  recorder?: ProfileRecorder,
): SampleResult {
  const branches = branchesForCfg(cfg);
  let latents: Float32Array = noise.map((v) => v * scheduler.initNoiseSigma);
  const computed: number[] = [];
  for (let i = 0; i < scheduler.numSteps; i++) {
    const x = scheduler.scaleModelInput(latents, i);
    const timestep = scheduler.timesteps[i] as number;
    const ctx: CacheStepContext = { index: i, numSteps: scheduler.numSteps, timestep, inputs: new Map(branches.map((b) => [b, x])) };
    let outputs: Map<Branch, Float32Array>;
    if ((policy?.decide(ctx) ?? 'compute') === 'compute') {
      outputs = new Map(branches.map((b) => [b, denoiser(x, timestep, b)]));
      policy?.onComputed(ctx, outputs);
      recorder?.record(ctx, outputs);
      computed.push(i);
    } else {
      outputs = (policy as CachePolicy).reuse(ctx);
    }
    const cond = outputs.get('cond') as Float32Array;
    const pred = cfg > 1 ? applyGuidance(outputs.get('uncond') as Float32Array, cond, cfg) : cond;
    latents = scheduler.step(pred, i, latents);
  }
  return { latents, computed };
}

/** Root-mean-square difference. */
export function rms(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s / a.length);
}
