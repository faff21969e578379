/**
 * The settings of the matched-calls benchmark (`studio bench cache --matched-calls …`): at each
 * budget of C model calls out of T steps, every method held to at most C calls, and the honest
 * baseline, plain sampling with C steps.
 *
 *   baseline             the uncached sampler with C steps (PSNR against the T-step image)
 *   reuse                FORA (largest call count ≤ C over integer intervals) and ERTACache with
 *                        its defaults (smallest λ whose plan makes ≤ C calls, by bisection)
 *   forecast             TaylorSeer order 1 and 2 (interval for ≤ C calls after its warm-up), the
 *                        linear predictor and ERTACache with forecasting (exactly C calls)
 *   tuning variants      with `tune`: each forecasting method with one knob changed from its
 *                        default, for choosing the defaults on development prompts only
 */
import type { CacheConfig } from '../../../contract/cache';
import { defaultCacheConfig, planSchedule, taylorSeerIntervalFor, validateCacheConfig, type CacheCalibration } from '../../../core/cache';

export const MATCHED_CALLS = [38, 25, 17, 13, 10, 8, 6] as const;

export type SettingFamily = 'baseline' | 'reuse' | 'forecast';

export interface MatchedSetting {
  /** The budget C this setting is held to. */
  point: number;
  family: SettingFamily;
  /** The cache config; undefined for the baseline, which runs `steps` plain steps instead. */
  config?: CacheConfig;
  /** Steps the run samples (T, or C for the baseline). */
  steps: number;
  /** null for a method's default setting; what was changed for a tuning variant. */
  variant: string | null;
}

/**
 * Tuning variants (development prompts only), as changes from each method's default. Earlier
 * rounds (docs/bench/history/emoji-v1/matched-emoji-dev*.json) set the linear predictor's defaults; this round
 * checks ERTACache with forecasting's: the affine fit pulled toward TaylorSeer's extrapolation
 * where computed steps are at most 4 apart, against the previous default (a free fit pulled
 * toward reuse, 3 sources, input term, per channel) and one knob changed at a time, and the
 * linear predictor with the same fit.
 */
const TUNING: Readonly<Record<'taylorseer' | 'linear' | 'ertacache-forecast', readonly Record<string, unknown>[]>> = {
  taylorseer: [],
  linear: [{ affine: true, prior: 'taylor', priorGap: 4, ridge: 1, history: 2, inputTerm: false }],
  'ertacache-forecast': [
    { history: 3, inputTerm: true, perChannel: true, ridge: 0.1, prior: 'reuse', affine: false, priorGap: 1000 },
    { affine: false },
    { priorGap: 3 },
    { priorGap: 5 },
    { ridge: 0.3 },
    { history: 3, inputTerm: true },
    { signal: 'branches' },
  ],
};

export interface MatchedOptions {
  steps: number;
  points: readonly number[];
  tune: boolean;
  /** Whether the scheduler allows ERTACache's time adjustment (Euler-type); when false it is forced off. */
  timeAdjustment: boolean;
}

/** Every setting to run, per point: baseline, reuse, forecast defaults, then tuning variants. */
export function matchedSettings(calibration: CacheCalibration, o: MatchedOptions): MatchedSetting[] {
  const T = o.steps;
  const out: MatchedSetting[] = [];
  for (const C of o.points.filter((c) => c >= 2 && c < T)) {
    const add = (family: SettingFamily, config: CacheConfig, variant: string | null = null) => out.push({ point: C, family, config: withTimeAdjustment(config, o.timeAdjustment), steps: T, variant });
    out.push({ point: C, family: 'baseline', steps: C, variant: null });
    add('reuse', { method: 'fora', interval: foraIntervalFor(T, C) });
    add('reuse', validateCacheConfig({ ...defaultCacheConfig('ertacache'), lambda: ertaLambdaFor(calibration, T, C, o.timeAdjustment) }));
    for (const order of [1, 2]) {
      const base = validateCacheConfig({ method: 'taylorseer', order });
      if (base.method === 'taylorseer') add('forecast', { ...base, interval: taylorSeerIntervalFor(T, base.warmup, C) });
    }
    add('forecast', validateCacheConfig({ method: 'linear', calls: C }));
    add('forecast', validateCacheConfig({ method: 'ertacache-forecast', calls: C }));
    if (!o.tune) continue;
    for (const [method, changes] of Object.entries(TUNING)) {
      for (const change of changes) {
        const orders = method === 'taylorseer' ? [1, 2] : [undefined];
        for (const order of orders) {
          const base = validateCacheConfig({ method, ...(order === undefined ? {} : { order }), ...change });
          const config = base.method === 'taylorseer' ? { ...base, interval: taylorSeerIntervalFor(T, base.warmup, C) } : validateCacheConfig({ ...base, calls: C });
          add('forecast', config, Object.entries(change).map(([k, v]) => `${k} ${String(v)}`).join(', '));
        }
      }
    }
  }
  return out;
}

function withTimeAdjustment(c: CacheConfig, allowed: boolean): CacheConfig {
  return (c.method === 'ertacache' || c.method === 'ertacache-forecast') && !allowed ? { ...c, timeAdjustment: false } : c;
}

/** The smallest interval n with ⌈T/n⌉ ≤ C (FORA computes every n-th step from 0). */
export function foraIntervalFor(T: number, C: number): number {
  let n = 1;
  while (Math.ceil(T / n) > C) n++;
  return n;
}

/** The smallest λ (to 4 decimals) whose ERTACache plan makes at most C model calls. */
function ertaLambdaFor(calibration: CacheCalibration, T: number, C: number, timeAdjustment: boolean): number {
  const calls = (lambda: number): number => planSchedule(withTimeAdjustment(validateCacheConfig({ ...defaultCacheConfig('ertacache'), lambda }), timeAdjustment), T, calibration).modelCalls;
  let lo = 0;
  let hi = 3;
  if (calls(hi) > C) return hi;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (calls(mid) <= C) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi * 1e4) / 1e4;
}
