/**
 * A DenoiseModel (core/sampling) over a Denoiser — whatever runner it wraps, local session or
 * remote server — and, when the pipeline has one, its TeaCache probe, with the run's prompt
 * embeddings bound in.
 *
 * Under guidance both branches run as ONE batch-2 call [uncond, cond] (as diffusers batches
 * them) and each branch's output is a view into that call's result; without guidance only the
 * cond row of the embeddings is used. The abort signal is handed to the runner, which checks it
 * before each call starts.
 */
import { StudioError } from '../../contract/errors';
import type { Branch } from '../../core/sampling/branch';
import type { BranchOutputs, DenoiseModel } from '../../core/sampling/denoise-model';
import type { CacheProbe } from '../runtime/cache-probe';
import type { Denoiser } from '../runtime/denoiser';

/** The run's prompt embeddings: [B, L, D] with B = 2 ([uncond, cond]) when guided, else 1. */
export interface PromptContext {
  data: Float32Array;
  dims: readonly [number, number];
}

export class RunnerDenoiseModel implements DenoiseModel {
  private readonly perLatent: number;

  constructor(
    private readonly denoiser: Denoiser,
    private readonly probeModel: CacheProbe | undefined,
    /** [C, h, w] or [C, F, h, w]. */
    private readonly latentDims: readonly number[],
    private readonly context: PromptContext,
    private readonly signal?: AbortSignal,
  ) {
    this.perLatent = latentDims.reduce((a, b) => a * b, 1);
  }

  async predict(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs> {
    const both = branches.length === 2;
    const pred = await this.denoiser.predict(both ? concat(x, x) : x, this.latentDims, timestep, this.contextFor(both), this.context.dims, this.signal);
    return both ? new Map([['uncond', pred.subarray(0, this.perLatent)], ['cond', pred.subarray(this.perLatent)]]) : new Map([['cond', pred]]);
  }

  /** One probe per branch; a probe that ignores the prompt runs once and serves both. */
  async probe(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs> {
    const probe = this.probeModel;
    if (probe === undefined) throw new StudioError('INTERNAL', 'the cache asked for a probe the pipeline does not have');
    const both = branches.length === 2 && probe.perBranch;
    const rows = await probe.run(both ? concat(x, x) : x, this.latentDims, timestep, this.contextFor(both), this.context.dims);
    return new Map(branches.map((b, i) => [b, (both ? rows[i] : rows[0]) as Float32Array]));
  }

  /** Both rows for a batch of two; the cond row (the last) for one. */
  private contextFor(both: boolean): Float32Array {
    const { data } = this.context;
    const guided = data.length === 2 * this.context.dims[0] * this.context.dims[1];
    return both || !guided ? data : data.subarray(data.length / 2);
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
