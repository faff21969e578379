/**
 * What the forecasting policies share (TaylorSeer, the linear predictor, ERTACache with
 * forecasting): a compute schedule fixed before the run, and on a skipped step a forecast per CFG
 * branch made at decide time, so that a forecast the guard rejects (forecast/forecast-guard.ts)
 * can still turn the step into a computed one. The run's stats say which steps were forecast
 * and which planned skips fell back to the model.
 */
import type { CacheConfig } from '../cache-config';
import type { Branch, CacheDecision, CacheMethod, CachePolicy, CacheStepContext, ForecastStats } from '../types';

export abstract class ForecastPolicy implements CachePolicy {
  abstract readonly method: CacheMethod;
  abstract readonly config: Readonly<CacheConfig>;
  private nextIndex = 0;
  private pending: Map<Branch, Float32Array> | undefined;
  private forecastSteps: boolean[] = [];
  private fallbackSteps: number[] = [];

  reset(): void {
    this.nextIndex = 0;
    this.pending = undefined;
    this.forecastSteps = [];
    this.fallbackSteps = [];
    this.resetState();
  }

  decide(ctx: CacheStepContext): CacheDecision {
    if (ctx.index === 0) this.reset();
    if (ctx.index !== this.nextIndex) throw new RangeError(`cache: step ${ctx.index} decided, expected ${this.nextIndex} (one decide per step, in order)`);
    if (ctx.index >= ctx.numSteps) throw new RangeError(`cache: step ${ctx.index} is outside 0..${ctx.numSteps - 1}`);
    this.nextIndex++;
    this.pending = undefined;
    if (this.planned(ctx)) {
      this.forecastSteps.push(false);
      return 'compute';
    }
    const forecast = this.predict(ctx);
    this.forecastSteps.push(forecast !== undefined);
    if (forecast === undefined) {
      this.fallbackSteps.push(ctx.index);
      return 'compute';
    }
    this.pending = forecast;
    return 'reuse';
  }

  onComputed(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void {
    if (outputs.size === 0) throw new RangeError('cache: onComputed got no outputs');
    this.record(ctx, outputs);
  }

  reuse(ctx: CacheStepContext): Map<Branch, Float32Array> {
    const out = this.pending;
    if (out === undefined) throw new RangeError(`cache: step ${ctx.index} has no forecast; reuse only after decide said 'reuse'`);
    this.pending = undefined;
    return out;
  }

  sigmaGrid(_nominal: ArrayLike<number>): Float64Array | undefined {
    return undefined;
  }

  forecastStats(): ForecastStats {
    return { forecastSteps: [...this.forecastSteps], fallbackSteps: [...this.fallbackSteps] };
  }

  /** True when the schedule computes this step. */
  protected abstract planned(ctx: CacheStepContext): boolean;

  /** The output per branch of a skipped step (new arrays), or undefined when a forecast is unusable (the step is then computed). */
  protected abstract predict(ctx: CacheStepContext): Map<Branch, Float32Array> | undefined;

  /** Keeps what later forecasts need from a computed step. */
  protected abstract record(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void;

  protected abstract resetState(): void;
}
