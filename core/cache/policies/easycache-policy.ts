/**
 * EasyCache at the model-output level (its native level: Δ = v − x in latent space). Per branch
 * it keeps the previous step's input and the last two computed (input, output) pairs, from which
 *   k = ‖v_a − v_b‖₁ / ‖x_a − x_b‖₁,  ε_t = k·‖x_t − x_{t−1}‖₁ / ‖v_last‖₁
 * feed the accumulator in rules/adaptive-accumulators.ts. No calibration.
 */
import type { CacheConfigOf } from '../cache-config';
import { l1Distance, l1Norm, ratioOrInfinity } from '../../metrics/rel-l1';
import { EasyCacheAccumulator, easyCacheWarmupSteps } from '../rules/adaptive-accumulators';
import type { Branch, CacheDecision, CacheStepContext } from '../types';
import { ResidualReusePolicy } from './residual-reuse-policy';

interface ComputedPair {
  input: Float32Array;
  output: Float32Array;
}

interface BranchHistory {
  previousInput: Float32Array | undefined;
  last: ComputedPair | undefined;
  /** k from the last two computed steps, once there are two. */
  rate: number | undefined;
}

export class EasyCachePolicy extends ResidualReusePolicy {
  readonly method = 'easycache';
  private rule: EasyCacheAccumulator | undefined;
  private history = new Map<Branch, BranchHistory>();

  constructor(readonly config: Readonly<CacheConfigOf<'easycache'>>) {
    super();
  }

  protected override resetRule(): void {
    this.rule = undefined;
    this.history = new Map();
  }

  protected choose(ctx: CacheStepContext, canReuse: boolean): CacheDecision {
    this.rule ??= new EasyCacheAccumulator(this.config.threshold, easyCacheWarmupSteps(this.config.warmupRatio, ctx.numSteps));
    let predicted: number[] | undefined = [];
    for (const [branch, x] of ctx.inputs) {
      const h = this.branch(branch);
      if (h.previousInput === undefined || h.last === undefined || h.rate === undefined) predicted = undefined;
      else predicted?.push((h.rate * l1Distance(x, h.previousInput)) / Math.max(l1Norm(h.last.output), Number.MIN_VALUE));
      h.previousInput = x.slice();
    }
    return this.rule.decide(ctx.index, ctx.numSteps, predicted, canReuse);
  }

  protected override afterCompute(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void {
    for (const [branch, output] of outputs) {
      const h = this.branch(branch);
      const input = ctx.inputs.get(branch) as Float32Array;
      if (h.last !== undefined) h.rate = ratioOrInfinity(l1Distance(output, h.last.output), l1Distance(input, h.last.input));
      h.last = { input: input.slice(), output: output.slice() };
    }
  }

  private branch(b: Branch): BranchHistory {
    let h = this.history.get(b);
    if (h === undefined) {
      h = { previousInput: undefined, last: undefined, rate: undefined };
      this.history.set(b, h);
    }
    return h;
  }
}
