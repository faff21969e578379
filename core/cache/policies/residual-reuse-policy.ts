/**
 * What every policy shares: the per-branch residual store, step-order checks and the reset at
 * index 0. A subclass only says when to compute (`choose`) and may post-process the reused output.
 */
import type { CacheConfig } from '../cache-config';
import { ResidualStore } from '../residual-store';
import type { Branch, CacheDecision, CacheMethod, CachePolicy, CacheStepContext } from '../types';

export abstract class ResidualReusePolicy implements CachePolicy {
  abstract readonly method: CacheMethod;
  abstract readonly config: Readonly<CacheConfig>;
  protected readonly store = new ResidualStore();
  private nextIndex = 0;

  reset(): void {
    this.store.clear();
    this.nextIndex = 0;
    this.resetRule();
  }

  decide(ctx: CacheStepContext): CacheDecision {
    if (ctx.index === 0) this.reset();
    if (ctx.index !== this.nextIndex) throw new RangeError(`cache: step ${ctx.index} decided, expected ${this.nextIndex} (one decide per step, in order)`);
    if (ctx.index >= ctx.numSteps) throw new RangeError(`cache: step ${ctx.index} is outside 0..${ctx.numSteps - 1}`);
    this.nextIndex++;
    return this.choose(ctx, this.store.covers(ctx.inputs)) === 'reuse' && this.store.covers(ctx.inputs) ? 'reuse' : 'compute';
  }

  onComputed(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void {
    this.store.store(ctx.index, ctx.inputs, outputs);
    this.afterCompute(ctx, outputs);
  }

  reuse(ctx: CacheStepContext): Map<Branch, Float32Array> {
    return this.store.rebuild(ctx.inputs);
  }

  sigmaGrid(_nominal: ArrayLike<number>): Float64Array | undefined {
    return undefined;
  }

  /** The method's rule for this step; called every step (adaptive rules track every input). canReuse: a residual is cached for every branch. */
  protected abstract choose(ctx: CacheStepContext, canReuse: boolean): CacheDecision;

  /** Forget the rule's own state (the store is cleared by reset). */
  protected resetRule(): void {}

  /** Hook after the residual of a computed step is stored. */
  protected afterCompute(_ctx: CacheStepContext, _outputs: ReadonlyMap<Branch, Float32Array>): void {}
}
