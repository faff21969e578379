/**
 * TeaCache at the model-output level: the probe is `ctx.probe` when the loop provides one (e.g.
 * the timestep-modulated input of block 0 from a split graph) or else the model input itself.
 * Each step measures d_b = ‖p_t − p_{t−1}‖₁ / ‖p_{t−1}‖₁ per branch against the previous STEP's
 * probe (computed or not, as TeaCache does) and feeds the accumulator (rules/adaptive-accumulators.ts).
 */
import type { CacheConfigOf } from '../cache-config';
import { CacheConfigError } from '../cache-errors';
import { relL1 } from '../../metrics/rel-l1';
import { TeaCacheAccumulator } from '../rules/adaptive-accumulators';
import { evaluatePolynomial } from '../teacache-polynomial';
import type { Branch, CacheDecision, CacheStepContext } from '../types';
import { ResidualReusePolicy } from './residual-reuse-policy';

export class TeaCachePolicy extends ResidualReusePolicy {
  readonly method = 'teacache';
  private readonly rule: TeaCacheAccumulator;
  private previousProbe = new Map<Branch, Float32Array>();

  /**
   * @param coefficients the rescaling polynomial, highest power first.
   * @param probeSource what the polynomial was fitted on; the run must give the same kind of probe.
   */
  constructor(
    readonly config: Readonly<CacheConfigOf<'teacache'>>,
    readonly coefficients: readonly number[],
    private readonly probeSource: 'input' | 'probe' | 'any',
  ) {
    super();
    this.rule = new TeaCacheAccumulator(config.threshold, (d) => evaluatePolynomial(coefficients, d), config.maxConsecutiveSkips);
  }

  protected override resetRule(): void {
    this.rule.reset();
    this.previousProbe = new Map();
  }

  protected choose(ctx: CacheStepContext, canReuse: boolean): CacheDecision {
    const source = ctx.probe === undefined ? 'input' : 'probe';
    if (this.probeSource !== 'any' && source !== this.probeSource) {
      throw new CacheConfigError(`teacache: the polynomial was fitted on the ${this.probeSource === 'probe' ? 'block-0 probe' : 'model input'}, but this run gives ${source === 'probe' ? 'a probe' : 'no probe'}`);
    }
    const probes = ctx.probe ?? ctx.inputs;
    const changes: number[] = [];
    let complete = true;
    for (const [branch, p] of probes) {
      const previous = this.previousProbe.get(branch);
      if (previous === undefined || previous.length !== p.length) complete = false;
      else changes.push(relL1(p, previous));
      this.previousProbe.set(branch, p.slice());
    }
    return this.rule.decide(ctx.index, ctx.numSteps, changes, canReuse && complete);
  }
}
