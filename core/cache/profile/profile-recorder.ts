/**
 * Builds a CacheProfile from full (uncached) calibration runs. The loop feeds it every step of
 * every calibration prompt, after the model ran:
 *
 *   const rec = new ProfileRecorder({ key, latentShape: [C, H, W], timesteps: scheduler.timesteps, sigmas });
 *   for (const prompt of calibrationPrompts) {
 *     for (let i = 0; i < steps; i++) { …run the model…; rec.record(ctx, outputsByBranch); }
 *   }
 *   const profile = rec.finish();
 *
 * A prompt is complete when its last step is recorded; index 0 starts a new prompt and drops an
 * unfinished one (a cancelled calibration run). While a prompt runs, its inputs and outputs are
 * kept (2·T latents per branch) to compute the pair statistics; only the statistics survive it.
 * Cost per step k: O(k · latent size) per branch.
 */
import { applyGuidance } from '../../sampler/guidance';
import { l1Distance, l1Norm, ratioOrInfinity } from '../../metrics/rel-l1';
import { requireBranch, residualOf } from '../residual-store';
import type { Branch, CacheStepContext } from '../types';
import { strictPairCount, strictPairIndex } from './pair-index';
import { type PooledAccumulator, accumulatePooled, addPooled, magnitudeRatio, newPooled } from './pooled-sums';
import {
  type BranchProfile,
  CACHE_PROFILE_VERSION,
  type CacheProfile,
  type CacheProfileKey,
  type PromptTrajectoryStats,
  branchesForCfg,
} from './profile-types';

export interface ProfileRecorderOptions {
  key: CacheProfileKey;
  latentShape: readonly [number, number, number];
  /** The scheduler's timesteps (length key.steps). */
  timesteps: ArrayLike<number>;
  /** The scheduler's σ grid (length key.steps + 1) when it has one (see nominalSigmas). */
  sigmas?: ArrayLike<number> | null;
}

/** Cap for a relative change against an all-zero previous probe, so the profile stays finite JSON. */
const MAX_RATIO = 1e30;

/** One branch's arrays of the prompt being recorded. */
interface BranchTrace {
  inputs: Float32Array[];
  outputs: Float32Array[];
  residuals: Float32Array[];
  previousProbe: Float32Array | undefined;
  stats: PromptTrajectoryStats;
  /** This prompt's sums, added to the totals only when the prompt completes. */
  pooled: PooledAccumulator;
}

export class ProfileRecorder {
  private readonly key: CacheProfileKey;
  private readonly latentShape: [number, number, number];
  private readonly branches: Branch[];
  private readonly timesteps: number[];
  private readonly sigmas: number[] | null;
  private readonly finished = new Map<Branch, PromptTrajectoryStats[]>();
  private readonly pooled = new Map<Branch, PooledAccumulator>();
  private trace = new Map<Branch, BranchTrace>();
  /** The guided-output series (CFG only): traced like a branch, kept apart from the branches. */
  private guidedTrace: BranchTrace | undefined;
  private readonly guidedFinished: PromptTrajectoryStats[] = [];
  private readonly guidedPooled: PooledAccumulator | undefined;
  private nextIndex = 0;
  private probeSource: 'input' | 'probe' | undefined;

  constructor(options: ProfileRecorderOptions) {
    const { key } = options;
    const [c, h, w] = options.latentShape;
    if (![c, h, w].every((v) => Number.isInteger(v) && v > 0)) throw new RangeError(`latentShape must be 3 positive integers, got ${options.latentShape.join('×')}`);
    if (!Number.isInteger(key.steps) || key.steps < 2) throw new RangeError(`calibration needs at least 2 steps, got ${key.steps}`);
    if (options.timesteps.length !== key.steps) throw new RangeError(`${options.timesteps.length} timesteps for ${key.steps} steps`);
    if (options.sigmas != null && options.sigmas.length !== key.steps + 1) throw new RangeError(`${options.sigmas.length} sigmas for ${key.steps} steps (expected steps + 1)`);
    this.key = { ...key };
    this.latentShape = [c, h, w];
    this.branches = branchesForCfg(key.cfg);
    this.timesteps = Array.from(options.timesteps);
    this.sigmas = options.sigmas == null ? null : Array.from(options.sigmas);
    for (const b of this.branches) {
      this.finished.set(b, []);
      this.pooled.set(b, newPooled(c, key.steps));
    }
    this.guidedPooled = this.branches.length === 2 ? newPooled(c, key.steps) : undefined;
  }

  /** Complete prompts recorded so far. */
  get promptCount(): number {
    return this.finished.get('cond')?.length ?? 0;
  }

  /** Records step ctx.index of the current prompt: the model's inputs (and probe) in ctx, its outputs per branch. */
  record(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void {
    const T = this.key.steps;
    if (ctx.numSteps !== T) throw new RangeError(`calibration run has ${ctx.numSteps} steps, the profile ${T}`);
    if (ctx.index === 0) this.startPrompt();
    else if (ctx.index !== this.nextIndex) throw new RangeError(`calibration step ${ctx.index} recorded, expected ${this.nextIndex} (steps must come in order from 0)`);
    const source = ctx.probe === undefined ? 'input' : 'probe';
    if (this.probeSource !== undefined && this.probeSource !== source) throw new RangeError('calibration runs must all pass a probe, or none');
    this.probeSource = source;
    const size = this.latentShape[0] * this.latentShape[1] * this.latentShape[2];
    for (const branch of this.branches) {
      const input = requireBranch(ctx.inputs, branch, 'inputs');
      const output = requireBranch(outputs, branch, 'outputs');
      if (input.length !== size || output.length !== size) throw new RangeError(`${branch} tensors have ${input.length}/${output.length} values, the latent ${this.latentShape.join('×')} has ${size}`);
      const probe = ctx.probe === undefined ? input : requireBranch(ctx.probe, branch, 'probe');
      this.recordBranch(requireBranch(this.trace, branch, 'trace'), ctx.index, input, output, probe);
    }
    if (this.guidedTrace !== undefined) {
      const input = requireBranch(ctx.inputs, 'cond', 'inputs');
      const guided = applyGuidance(requireBranch(outputs, 'uncond', 'outputs'), requireBranch(outputs, 'cond', 'outputs'), this.key.cfg);
      this.recordBranch(this.guidedTrace, ctx.index, input, guided, input);
    }
    this.nextIndex = ctx.index + 1;
    if (this.nextIndex === T) {
      for (const branch of this.branches) {
        const done = requireBranch(this.trace, branch, 'trace');
        requireBranch(this.finished, branch, 'finished').push(done.stats);
        addPooled(requireBranch(this.pooled, branch, 'pooled'), done.pooled);
      }
      if (this.guidedTrace !== undefined && this.guidedPooled !== undefined) {
        this.guidedFinished.push(this.guidedTrace.stats);
        addPooled(this.guidedPooled, this.guidedTrace.pooled);
      }
      this.trace = new Map();
      this.guidedTrace = undefined;
      this.nextIndex = 0;
    }
  }

  /** The profile over all complete prompts. @throws RangeError when none is complete. */
  finish(): CacheProfile {
    if (this.promptCount === 0) throw new RangeError('no complete calibration prompt was recorded');
    const stats: Partial<Record<Branch, BranchProfile>> = {};
    for (const branch of this.branches) {
      stats[branch] = seriesProfile(requireBranch(this.finished, branch, 'finished'), requireBranch(this.pooled, branch, 'pooled'));
    }
    const guided = this.guidedPooled === undefined ? null : seriesProfile(this.guidedFinished, this.guidedPooled);
    return {
      version: CACHE_PROFILE_VERSION,
      key: { ...this.key },
      latentShape: [...this.latentShape],
      branches: [...this.branches],
      timesteps: [...this.timesteps],
      sigmas: this.sigmas === null ? null : [...this.sigmas],
      probeSource: this.probeSource ?? 'input',
      stats,
      guided,
      // Measured afterwards, on the model (erta/measure-reuse-cost.ts), when the caller can run it.
      reuseCost: null,
    };
  }

  private startPrompt(): void {
    this.trace = new Map();
    for (const branch of this.branches) this.trace.set(branch, this.newTrace());
    this.guidedTrace = this.guidedPooled === undefined ? undefined : this.newTrace();
  }

  private newTrace(): BranchTrace {
    const T = this.key.steps;
    return {
      inputs: [],
      outputs: [],
      residuals: [],
      previousProbe: undefined,
      stats: {
        inputL1: [], outputL1: [], residualL1: [], probeRelL1: [], magnitudeRatio: [],
        inputDist: new Array<number>(strictPairCount(T)).fill(0),
        outputDist: new Array<number>(strictPairCount(T)).fill(0),
        residualDist: new Array<number>(strictPairCount(T)).fill(0),
      },
      pooled: { ...newPooled(this.latentShape[0], T), count: this.latentShape[1] * this.latentShape[2] },
    };
  }

  private recordBranch(t: BranchTrace, k: number, x: Float32Array, v: Float32Array, probe: Float32Array): void {
    const r = residualOf(x, v);
    const s = t.stats;
    s.inputL1.push(l1Norm(x));
    s.outputL1.push(l1Norm(v));
    s.residualL1.push(l1Norm(r));
    s.probeRelL1.push(t.previousProbe === undefined ? 0 : Math.min(MAX_RATIO, ratioOrInfinity(l1Distance(probe, t.previousProbe), l1Norm(t.previousProbe))));
    const previousResidual = t.residuals[k - 1];
    s.magnitudeRatio.push(previousResidual === undefined ? 1 : magnitudeRatio(r, previousResidual, this.latentShape));
    for (let j = 0; j < k; j++) {
      const at = strictPairIndex(j, k);
      s.inputDist[at] = l1Distance(t.inputs[j] as Float32Array, x);
      s.outputDist[at] = l1Distance(t.outputs[j] as Float32Array, v);
      s.residualDist[at] = l1Distance(t.residuals[j] as Float32Array, r);
    }
    t.inputs.push(x.slice());
    t.outputs.push(v.slice());
    t.residuals.push(r);
    t.previousProbe = probe.slice();
    accumulatePooled(t.pooled, t.residuals, k, x, this.latentShape);
  }
}

function seriesProfile(prompts: readonly PromptTrajectoryStats[], p: PooledAccumulator): BranchProfile {
  const list = (a: Float64Array[]) => a.map((v) => Array.from(v));
  return {
    prompts: prompts.map(cloneStats),
    pooled: { count: p.count, x: list(p.x), xx: list(p.xx), r: list(p.r), rr: list(p.rr), xr: list(p.xr), rr2: list(p.rr2) },
  };
}

function cloneStats(s: PromptTrajectoryStats): PromptTrajectoryStats {
  return {
    inputL1: [...s.inputL1], outputL1: [...s.outputL1], residualL1: [...s.residualL1], probeRelL1: [...s.probeRelL1],
    magnitudeRatio: [...s.magnitudeRatio], inputDist: [...s.inputDist], outputDist: [...s.outputDist], residualDist: [...s.residualDist],
  };
}
