/**
 * One denoising step's model output, with or without a cache — the loop protocol of
 * core/cache/README.md:
 *
 *   (probe, when TeaCache needs it or a calibration run records it)
 *   policy.decide(ctx) → 'compute': one batched call [uncond, cond] → policy.onComputed (+ recorder.record)
 *                      → 'reuse':   policy.reuse(ctx), no model call
 *   pred = uncond + cfg·(cond − uncond)   (cfg > 1; else cond)
 *
 * Without a policy it is exactly the uncached step (same arrays, same guidance call), so an
 * uncached run's pixels do not change. Timing: `modelMs` counts only denoiser session runs, so
 * denoise − model is the loop's own cost (sampler, guidance, cache bookkeeping, probe: `probeMs`).
 */
import { StudioError } from '../../contract/errors';
import type { Branch, CachePolicy, CacheStepContext, ProfileRecorder } from '../../core/cache';
import { applyGuidance } from '../../core/sampler/guidance';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { asCacheRequestError } from './cache-setup';

/** The prompt embeddings of the run: [B, L, D] with B = 2 ([uncond, cond]) when guided. */
export interface StepContext {
  data: Float32Array;
  dims: readonly [number, number];
}

export interface StepOptions {
  cfg: number;
  policy: CachePolicy | undefined;
  useProbe: boolean;
  recorder: ProfileRecorder | undefined;
}

export class DenoiseStepper {
  /** Milliseconds inside denoiser session runs. */
  modelMs = 0;
  /** Milliseconds inside probe session runs (cache overhead, not model time). */
  probeMs = 0;
  /** Per step: whether the model ran. */
  readonly computeSteps: boolean[] = [];
  private readonly guided: boolean;
  private readonly latentDims: readonly [number, number, number];
  private readonly perLatent: number;

  constructor(
    private readonly pipeline: LoadedPipeline,
    private readonly context: StepContext,
    private readonly options: StepOptions,
  ) {
    this.guided = options.cfg > 1;
    const g = pipeline.geometry;
    this.latentDims = [g.latentChannels, g.latentHeight, g.latentWidth];
    this.perLatent = g.latentChannels * g.latentHeight * g.latentWidth;
  }

  /** Model calls so far (a batched CFG call counts once). */
  get modelCalls(): number {
    return this.computeSteps.filter(Boolean).length;
  }

  /**
   * The guided prediction for step `index` at model input `x` ([C, h, w] flattened).
   * @throws StudioError INVALID_REQUEST when the cache policy refuses the run mid-way
   */
  async predict(index: number, numSteps: number, timestep: number, x: Float32Array): Promise<Float32Array> {
    const { policy, recorder } = this.options;
    if (policy === undefined && recorder === undefined) {
      this.computeSteps.push(true);
      const pred = await this.runModel(x, timestep);
      return this.guided ? applyGuidance(pred.subarray(0, this.perLatent), pred.subarray(this.perLatent), this.options.cfg) : pred;
    }
    const branches: Branch[] = this.guided ? ['uncond', 'cond'] : ['cond'];
    const ctx: CacheStepContext = { index, numSteps, timestep, inputs: new Map(branches.map((b) => [b, x])) };
    if (this.options.useProbe) ctx.probe = await this.runProbe(x, timestep, branches);
    let outputs: Map<Branch, Float32Array>;
    try {
      const compute = policy === undefined || policy.decide(ctx) === 'compute';
      this.computeSteps.push(compute);
      if (compute) {
        const pred = await this.runModel(x, timestep);
        outputs = this.guided ? new Map([['uncond', pred.subarray(0, this.perLatent)], ['cond', pred.subarray(this.perLatent)]]) : new Map([['cond', pred]]);
        policy?.onComputed(ctx, outputs);
        recorder?.record(ctx, outputs);
      } else {
        outputs = (policy as CachePolicy).reuse(ctx);
      }
    } catch (err) {
      throw asCacheRequestError(err);
    }
    const cond = outputs.get('cond');
    const uncond = outputs.get('uncond');
    if (cond === undefined || (this.guided && uncond === undefined)) throw new StudioError('INTERNAL', `cache step ${index}: an output branch is missing`);
    return this.guided ? applyGuidance(uncond as Float32Array, cond, this.options.cfg) : cond;
  }

  private async runModel(x: Float32Array, timestep: number): Promise<Float32Array> {
    const input = this.guided ? concat(x, x) : x;
    const start = performance.now();
    const pred = await this.pipeline.denoiser.predict(input, this.latentDims, timestep, this.context.data, this.context.dims);
    this.modelMs += performance.now() - start;
    return pred;
  }

  /** One probe per branch; a probe that ignores the prompt runs once and serves both. */
  private async runProbe(x: Float32Array, timestep: number, branches: Branch[]): Promise<Map<Branch, Float32Array>> {
    const probe = this.pipeline.probe;
    if (probe === undefined) throw new StudioError('INTERNAL', 'the cache asked for a probe the pipeline does not have');
    const start = performance.now();
    const both = this.guided && probe.perBranch;
    const context = both || !this.guided ? this.context.data : this.context.data.subarray(this.context.data.length / 2);
    const rows = await probe.run(both ? concat(x, x) : x, this.latentDims, timestep, context, this.context.dims);
    this.probeMs += performance.now() - start;
    return new Map(branches.map((b, i) => [b, (both ? rows[i] : rows[0]) as Float32Array]));
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
