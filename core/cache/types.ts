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
import type { StepCall } from '../sampling/step-hooks';

export type CacheDecision = 'compute' | 'reuse';

/**
 * What a cache policy sees of one step: the loop's StepCall (core/sampling/step-hooks.ts) without
 * the plan's model key — a policy caches one model's outputs, so which model is not its concern.
 * Steps come in order from index 0 (which starts a new run and resets state); the timestep is
 * informational; `inputs` per branch may share one array; `probe`, when present, is TeaCache's
 * cheap per-branch signal (the model input serves when absent).
 */
export type CacheStepContext = Omit<StepCall, 'model'>;

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
