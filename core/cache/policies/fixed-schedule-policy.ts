/**
 * Policies whose compute/reuse pattern is known before the run: 'none' (always compute), FORA
 * (every N steps) and MagCache (from profiled magnitude ratios). The pattern comes from
 * rules/fixed-schedules.ts, the same functions planSchedule uses.
 */
import type { CacheConfig } from '../cache-config';
import type { CacheDecision, CacheMethod, CacheStepContext } from '../types';
import { ResidualReusePolicy } from './residual-reuse-policy';

export class FixedSchedulePolicy extends ResidualReusePolicy {
  readonly method: CacheMethod;
  private memo: readonly boolean[] | undefined;

  /** computeSteps: per step, true = run the model; its length must equal the run's step count. */
  constructor(
    readonly config: Readonly<CacheConfig>,
    private readonly computeSteps: ((numSteps: number) => readonly boolean[]) | readonly boolean[],
  ) {
    super();
    this.method = config.method;
  }

  protected choose(ctx: CacheStepContext): CacheDecision {
    if (this.memo?.length !== ctx.numSteps) this.memo = typeof this.computeSteps === 'function' ? this.computeSteps(ctx.numSteps) : this.computeSteps;
    const steps = this.memo;
    if (steps.length !== ctx.numSteps) throw new RangeError(`${this.method}: schedule has ${steps.length} steps, the run ${ctx.numSteps}`);
    return steps[ctx.index] === true ? 'compute' : 'reuse';
  }
}
