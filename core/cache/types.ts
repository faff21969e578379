/**
 * The caching engine's contract with the denoising loop. Caching works at the model-output level,
 * so it fits any denoiser (UNet or DiT; ε, v or flow prediction): on a reused step the model is
 * not run and each CFG branch's output is rebuilt as
 *   output ≈ input + residual,  residual = output − input at the branch's last computed step
 * (EasyCache's "transformation vector", ERTACache's residual). Branches never share residuals; the
 * compute/reuse decision is joint per step because one batched model call serves both.
 *
 * Loop, per step i (see README.md):
 *   decide(ctx) → 'compute': run the model, then onComputed(ctx, outputs)
 *               → 'reuse':   outputs = reuse(ctx)
 *   then guidance and scheduler.step as usual.
 */
import type { CacheConfig, CacheMethod } from './cache-config';

export type { CacheMethod };

export { type Branch, BRANCHES } from '../sampling/branch';
import type { Branch } from '../sampling/branch';

export type CacheDecision = 'compute' | 'reuse';

export interface CacheStepContext {
  /** Step index 0..numSteps−1; steps must come in order. Index 0 starts a new run (state is reset). */
  index: number;
  numSteps: number;
  /** Timestep fed to the model at this step (informational; decisions do not depend on it). */
  timestep: number;
  /** Model input per branch (after scaleModelInput), [C,H,W] flattened; the same array may serve both branches. */
  inputs: ReadonlyMap<Branch, Float32Array>;
  /** Optional cheap probe per branch (TeaCache: the timestep-modulated input of block 0); TeaCache uses `inputs` when absent. */
  probe?: ReadonlyMap<Branch, Float32Array>;
}

export interface CachePolicy {
  readonly method: CacheMethod;
  /** The validated config with every default filled in: JSON, goes into the recipe. */
  readonly config: Readonly<CacheConfig>;
  /** Forget everything from the previous run (decide at index 0 does this too). */
  reset(): void;
  /** Whether to run the model at this step. Call exactly once per step, in order. Always 'compute' while nothing is cached. */
  decide(ctx: CacheStepContext): CacheDecision;
  /** After a computed step: the model's output per branch (same keys and lengths as ctx.inputs). */
  onComputed(ctx: CacheStepContext, outputs: ReadonlyMap<Branch, Float32Array>): void;
  /** On a reused step: the approximate output per branch (new arrays). */
  reuse(ctx: CacheStepContext): Map<Branch, Float32Array>;
  /**
   * ERTACache's trajectory-aware time grid: given the scheduler's own σ grid (length numSteps + 1)
   * the grid to sample on instead; undefined when the policy samples on the scheduler's own grid.
   * See schedulerForCache, which applies it.
   */
  sigmaGrid(nominal: ArrayLike<number>): Float64Array | undefined;
  /** Forecasting policies only: which steps were forecast and which planned skips were computed because the forecast was rejected. */
  forecastStats?(): ForecastStats;
}

/** What a forecasting policy did in its last run. */
export interface ForecastStats {
  /** Per step: true = the output was forecast (not computed, not plainly reused). */
  forecastSteps: boolean[];
  /** Steps the schedule skipped but that ran the model because the forecast was non-finite or outside its band. */
  fallbackSteps: number[];
}
