/**
 * What the user picks: a caching method and its knobs, as a zod schema of a discriminated union
 * so each method carries exactly its own parameters. The schema is the single definition: the
 * CacheConfig type is its output, its defaults are the published ones (defaultCacheConfig), and
 * validateCacheConfig range-checks untrusted input with it. The result (plain JSON, every default
 * filled) is what a recipe stores.
 *
 * Defaults follow the published code (cache-peers.md) scaled to whole-step, model-output caching;
 * thresholds are relative-L1 style quantities, so [0, 3] covers every published setting
 * (ComfyUI's EasyCache slider is 0–3).
 */
import { z } from 'zod';
import { CacheConfigError } from './cache-errors';

export const CACHE_METHODS = ['none', 'fora', 'teacache', 'magcache', 'easycache', 'ertacache', 'taylorseer', 'linear', 'ertacache-forecast'] as const;
export type CacheMethod = (typeof CACHE_METHODS)[number];

/** Largest accepted threshold/λ. */
export const MAX_THRESHOLD = 3;

/** The message of every failed check names the method, the field, the rule and the value given. */
type FieldError = (issue: { input?: unknown }) => string;
const fieldError = (method: CacheMethod, key: string, rule: string): FieldError => (issue) => `${method}: "${key}" must be ${rule}, got ${JSON.stringify(issue.input)}`;

/** A number in [min, max] (an integer when `integer`), `fallback` when absent. */
function numberIn(method: CacheMethod, key: string, min: number, max: number, fallback: number, integer = false) {
  const error = fieldError(method, key, `${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
  return (integer ? z.int({ error }) : z.number({ error })).min(min, { error }).max(max, { error }).default(fallback);
}

/** One of `choices` (written "a", "b" or "c" in the message), `fallback` when absent. */
function oneOf<const T extends readonly [string, ...string[]]>(method: CacheMethod, key: string, choices: T, fallback: T[number]) {
  const quoted = choices.map((c) => JSON.stringify(c));
  const listed = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : (quoted[0] as string);
  return z.enum(choices, { error: fieldError(method, key, listed) }).default(fallback as never);
}

const noneSchema = z.object({ method: z.literal('none') });

/** FORA: compute when index mod interval = 0, reuse the residual on the steps between. */
const foraSchema = z.object({ method: z.literal('fora'), interval: numberIn('fora', 'interval', 1, 100, 3, true) });

/**
 * TeaCache: reuse while Σ f(rel-L1 of probe change) < threshold. `coefficients`: the rescaling
 * polynomial f, 5 numbers, HIGHEST power first (np.poly1d order, as TeaCache publishes them);
 * null → fitted from the calibration profile. `maxConsecutiveSkips` 0 = unlimited (ComfyUI's max_skip_steps).
 */
const coefficientsError = fieldError('teacache', 'coefficients', 'null or 5 finite numbers (highest power first)');
const teacacheSchema = z.object({
  method: z.literal('teacache'),
  threshold: numberIn('teacache', 'threshold', 0, MAX_THRESHOLD, 0.4),
  coefficients: z.array(z.number({ error: coefficientsError }), { error: coefficientsError }).length(5, { error: coefficientsError }).nullable().default(null),
  maxConsecutiveSkips: numberIn('teacache', 'maxConsecutiveSkips', 0, 100, 0, true),
});

/** MagCache: profiled magnitude ratios; reuse while accumulated error ≤ threshold and ≤ maxSkips in a row, after the first ⌊warmupRatio·T⌋ steps. */
const magcacheSchema = z.object({
  method: z.literal('magcache'),
  threshold: numberIn('magcache', 'threshold', 0, MAX_THRESHOLD, 0.24),
  maxSkips: numberIn('magcache', 'maxSkips', 1, 100, 5, true),
  warmupRatio: numberIn('magcache', 'warmupRatio', 0, 0.99, 0.2),
});

/** EasyCache: runtime-adaptive, no calibration; the first ⌈warmupRatio·T⌉ steps and the last step are computed. */
const easycacheSchema = z.object({
  method: z.literal('easycache'),
  threshold: numberIn('easycache', 'threshold', 0, MAX_THRESHOLD, 0.1),
  warmupRatio: numberIn('easycache', 'warmupRatio', 0, 0.99, 0.2),
});

/**
 * ERTACache: offline reuse set S for λ, plus (b) time adjustment φ and (c) residual
 * rectification. `rectification` 'channel' fits one affine error model per latent channel,
 * 'scalar' one per step, 'off' none. `phiReference` picks φ's denominator (erta/phi.ts):
 * 'velocity' ‖v_k‖₁ or 'velocity-change' ‖v_k − v_{k−1}‖₁. `signal` (erta/erta-signal.ts) is
 * what φ, rectification and the placed reuse set are fitted on under CFG: 'guided' the guided
 * output the sampler integrates, 'branches' each CFG branch's own output. `reuseSet` is (a)'s
 * rule: 'greedy' the paper's per-step λ test, 'placed' as many model calls placed for the least
 * proxy error bound, 'measured' placed for the least reuse cost measured on the model during
 * profiling (erta/placed-reuse-set.ts; needs a profile recorded with it).
 *
 * Measured defaults (README, ERTACache ablation on the bundled model): all three parts, with the
 * 'placed' reuse set (+1.6 to +3.2 dB over the greedy rule at 25–13 of 50 calls, −0.25 dB at 38)
 * and φ and rectification fitted on the guided output; the greedy rule is one switch away.
 */
const ertacacheSchema = z.object({
  method: z.literal('ertacache'),
  lambda: numberIn('ertacache', 'lambda', 0, MAX_THRESHOLD, 0.3),
  timeAdjustment: z.boolean({ error: fieldError('ertacache', 'timeAdjustment', 'true or false') }).default(true),
  rectification: oneOf('ertacache', 'rectification', ['channel', 'scalar', 'off'], 'channel'),
  phiReference: oneOf('ertacache', 'phiReference', ['velocity', 'velocity-change'], 'velocity'),
  signal: oneOf('ertacache', 'signal', ['guided', 'branches'], 'guided'),
  reuseSet: oneOf('ertacache', 'reuseSet', ['greedy', 'placed', 'measured'], 'placed'),
});

/**
 * TaylorSeer (forecast/taylorseer.md): the first `warmup` steps computed, then one computed step
 * every `interval`; a skipped step k steps after the last computed one gets Σ_{i≤order} Δⁱ·kⁱ/i!
 * of the backward differences of `target` (the model output v, or the residual v − x).
 * `fallbackBand` κ: a forecast that moves more than κ·k times the last measured per-step change
 * is not used and the step is computed instead.
 */
const taylorseerSchema = z.object({
  method: z.literal('taylorseer'),
  order: numberIn('taylorseer', 'order', 1, 2, 1, true),
  interval: numberIn('taylorseer', 'interval', 1, 100, 4, true),
  warmup: numberIn('taylorseer', 'warmup', 1, 100, 1, true),
  target: oneOf('taylorseer', 'target', ['output', 'residual'], 'residual'),
  fallbackBand: numberIn('taylorseer', 'fallbackBand', 1, 100, 4),
});

/** The knobs the two profile-fitted linear predictors share (forecast/linear-predictor.ts). */
function linearFields(
  method: 'linear' | 'ertacache-forecast',
  d: { calls: number; history: number; perChannel: boolean; inputTerm: boolean; ridge: number; signal: 'guided' | 'branches'; prior: 'reuse' | 'taylor'; priorGap: number; affine: boolean },
) {
  return {
    calls: numberIn(method, 'calls', 2, 1000, d.calls, true),
    history: numberIn(method, 'history', 1, 4, d.history, true),
    perChannel: z.boolean({ error: fieldError(method, 'perChannel', 'true or false') }).default(d.perChannel),
    inputTerm: z.boolean({ error: fieldError(method, 'inputTerm', 'true or false') }).default(d.inputTerm),
    ridge: numberIn(method, 'ridge', 0, 10, d.ridge),
    signal: oneOf(method, 'signal', ['guided', 'branches'], d.signal),
    prior: oneOf(method, 'prior', ['reuse', 'taylor'], d.prior),
    priorGap: numberIn(method, 'priorGap', 1, 1000, d.priorGap, true),
    affine: z.boolean({ error: fieldError(method, 'affine', 'true or false') }).default(d.affine),
    fallbackBand: numberIn(method, 'fallbackBand', 1, 100, 4),
  };
}

/**
 * Linear predictor (L2P-style, forecast/linear-predictor.ts): `calls` model calls placed
 * 'uniform'ly from step 0, 'spread' evenly from the first step to the last, or by ERTACache's
 * 'placed' rule (forecast/forecast-schedules.ts); a skipped step's residual is a ridge-fitted
 * combination of the last `history` computed residuals (per latent channel with `perChannel`,
 * plus the current input and a bias with `inputTerm`), fitted on the calibration profile with a
 * ridge pull of strength `ridge` toward `prior`: plain reuse, or TaylorSeer's order-1 weights.
 */
const linearSchema = z.object({
  method: z.literal('linear'),
  ...linearFields('linear', { calls: 13, history: 3, perChannel: false, inputTerm: true, ridge: 0.1, signal: 'branches', prior: 'reuse', priorGap: 1000, affine: false }),
  schedule: oneOf('linear', 'schedule', ['uniform', 'spread', 'placed'], 'uniform'),
});

/**
 * ERTACache with forecasting: ERTACache's placed reuse set for `calls` model calls, the linear
 * predictor at each skipped step instead of reuse + rectification, and (timeAdjustment) φ
 * measured on the forecast's own profiled error.
 */
const ertacacheForecastSchema = z.object({
  method: z.literal('ertacache-forecast'),
  ...linearFields('ertacache-forecast', { calls: 13, history: 2, perChannel: false, inputTerm: false, ridge: 1, signal: 'guided', prior: 'taylor', priorGap: 4, affine: true }),
  timeAdjustment: z.boolean({ error: fieldError('ertacache-forecast', 'timeAdjustment', 'true or false') }).default(false),
});

/**
 * Any cache config. Unknown fields are dropped; absent ones take the defaults. A non-object or an
 * unknown method fails with a message listing the methods.
 */
export const cacheConfigSchema = z.discriminatedUnion('method', [noneSchema, foraSchema, teacacheSchema, magcacheSchema, easycacheSchema, ertacacheSchema, taylorseerSchema, linearSchema, ertacacheForecastSchema], {
  error: (issue) => {
    const input = issue.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'cache config must be an object with a "method"';
    return `cache method must be one of ${CACHE_METHODS.join(', ')}, got ${JSON.stringify((input as { method?: unknown }).method)}`;
  },
});

export type CacheConfig = z.output<typeof cacheConfigSchema>;
export type CacheConfigOf<M extends CacheMethod> = Extract<CacheConfig, { method: M }>;

/** Published-default configs, for the UI's initial values: the schema's defaults. */
export function defaultCacheConfig<M extends CacheMethod>(method: M): CacheConfigOf<M> {
  return cacheConfigSchema.parse({ method }) as CacheConfigOf<M>;
}

/** The first problem of a failed cache config parse, as its message. */
export function cacheConfigProblem(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'cache config is invalid';
}

/**
 * Checks an untrusted config (e.g. from a request or a CLI option) and fills absent fields with
 * the defaults. Call it once where the config enters; everything downstream takes CacheConfig.
 * @throws CacheConfigError naming the field and the accepted range.
 */
export function validateCacheConfig(input: unknown): CacheConfig {
  const result = cacheConfigSchema.safeParse(input);
  if (!result.success) throw new CacheConfigError(cacheConfigProblem(result.error));
  return result.data;
}
