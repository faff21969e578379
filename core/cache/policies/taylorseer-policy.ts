/**
 * TaylorSeer at the model-output level (forecast/taylorseer.md): per CFG branch a backward-
 * difference table (forecast/taylor-differences.ts) of the model output v or of the residual
 * r = v − x, updated at every computed step (fallbacks included) and expanded on skipped ones.
 * Guard: the forecast may move from the last computed feature at most κ·k·‖Δ¹‖₂, κ times the
 * move a first-order forecast k steps ahead makes.
 */
import type { CacheConfigOf } from '../cache-config';
import { forecastAccepted, l2Distance, l2Norm } from '../forecast/forecast-guard';
import { taylorSeerComputeSteps } from '../forecast/forecast-schedules';
import { TaylorDifferences } from '../forecast/taylor-differences';
import { requireBranch, residualOf } from '../residual-store';
import type { Branch, CacheStepContext } from '../types';
import { ForecastPolicy } from './forecast-policy';

export class TaylorSeerPolicy extends ForecastPolicy {
  readonly method = 'taylorseer';
  private tables = new Map<Branch, TaylorDifferences>();
  private schedule: boolean[] = [];

  constructor(readonly config: Readonly<CacheConfigOf<'taylorseer'>>) {
    super();
  }

  protected resetState(): void {
    this.tables = new Map();
  }

  protected planned(ctx: CacheStepContext): boolean {
    if (this.schedule.length !== ctx.numSteps) this.schedule = taylorSeerComputeSteps(ctx.numSteps, this.config.warmup, this.config.interval);
    return this.schedule[ctx.index] === true || ctx.inputs.size === 0 || [...ctx.inputs.keys()].some((b) => !this.tables.has(b));
  }

  protected predict(ctx: CacheStepContext): Map<Branch, Float32Array> | undefined {
    const out = new Map<Branch, Float32Array>();
    for (const [branch, x] of ctx.inputs) {
      const table = requireBranch(this.tables, branch, 'TaylorSeer tables');
      const forecast = table.forecast(ctx.index);
      const anchor = table.difference(0) as Float32Array;
      const slope = table.difference(1);
      const expected = slope === undefined ? 0 : (ctx.index - table.anchorStep) * l2Norm(slope);
      if (forecast.length !== x.length || !forecastAccepted(forecast, l2Distance(forecast, anchor), expected, this.config.fallbackBand)) return undefined;
      if (this.config.target === 'residual') for (let i = 0; i < forecast.length; i++) forecast[i] = (forecast[i] as number) + (x[i] as number);
      out.set(branch, forecast);
    }
    return out;
  }

  protected record(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void {
    for (const [branch, output] of outputs) {
      let table = this.tables.get(branch);
      if (table === undefined) {
        table = new TaylorDifferences(this.config.order);
        this.tables.set(branch, table);
      }
      const input = requireBranch(ctx.inputs, branch, 'inputs');
      if (input.length !== output.length) throw new RangeError(`cache: ${branch} output has ${output.length} values, its input ${input.length}`);
      table.update(ctx.index, this.config.target === 'output' ? output : residualOf(input, output));
    }
  }
}
