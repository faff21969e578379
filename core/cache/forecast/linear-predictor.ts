/**
 * The linear predictor (L2P-style, arXiv 2604.26365), fitted in closed form on a calibration
 * profile for one compute schedule. For a skipped step s with computed steps t_1 > … > t_K
 * before it (the last `history` ones), per CFG branch:
 *   r̂_s = Σ_k w_{s,k}·r_{t_k} (+ α_s·x_s + β_s with inputTerm)      output = x_s + r̂_s
 * r = v − x the model's residual, x_s the current model input. Weights are one row per skipped
 * step, shared by all latent values, or one per latent channel (perChannel). They come from
 * ridge least squares (ridge-fit.ts) on the profile's pooled sums, which hold every inner
 * product the fit needs (profile-gram.ts), so nothing but the profile is stored and a predictor
 * is derived the same way every time from the same profile and config. The ridge pulls toward
 * reuse, or toward TaylorSeer's order-1 extrapolation where the last two sources are at most
 * `priorGap` steps apart; there, with `affine`, the source weights sum to 1, because a free fit
 * under-extrapolates the trend at every step alike (taylorseer.md).
 *
 * Why a direct, schedule-aware fit and not L2P's recursive Adam-trained 50×50 matrix: with the
 * schedule fixed, each skipped step's k-steps-ahead error is minimised directly (no compounding
 * of forecasts on forecasts), the fit is exact and takes milliseconds on a CPU, and it needs only
 * the statistics the profiler already records.
 *
 * Signal (as ERTACache, erta/erta-signal.ts): 'branches' fits each branch on its own series;
 * 'guided' fits once on the guided output g = u + s·(c − u) and applies the same weights to
 * both branches, which (the map being linear) makes the guided forecast exactly the fitted one.
 *
 * Also per skipped step: the profiled relative error ‖r̂ − r‖₂/‖r‖₂, the band the runtime guard
 * checks a forecast against (forecast-guard.ts), and φ for the time adjustment,
 * φ_s = clip(1 − ‖r̂_s − r_s‖₂ / ‖v_s‖₂, 0, 1) (ERTACache's Eq. 9 with the 'velocity'
 * reference, on the forecast's error instead of reuse's, and in L2 because the pooled sums give it).
 */
import { CacheProfileError } from '../cache-errors';
import { type ErtaSignal, ertaSeries } from '../erta/erta-signal';
import { profileMatches } from '../profile/profile-match';
import type { BranchProfile, CacheProfile, CacheProfileKey, PooledChannelSums } from '../profile/profile-types';
import type { Branch } from '../types';
import { type Regressor, gramSystem, regressorInner, residualInner } from './profile-gram';
import { type RidgeResult, affineRidgeFit, quadraticFormFrom, ridgeFit } from './ridge-fit';

export interface LinearFitOptions {
  /** K: computed residuals a forecast reads, 1..4. */
  history: number;
  perChannel: boolean;
  inputTerm: boolean;
  /** ρ of ridge-fit.ts. */
  ridge: number;
  signal: ErtaSignal;
  /** What the ridge pulls the weights toward (ridge-fit.ts): reuse of r_{t_1}, or TaylorSeer's order-1 extrapolation from r_{t_1}, r_{t_2}. */
  prior: 'reuse' | 'taylor';
  /** The 'taylor' prior applies where the last two sources are at most this many steps apart; farther apart, the pull is toward reuse. */
  priorGap: number;
  /** Whether, where the fit is pulled toward TaylorSeer's extrapolation, the weights on the computed residuals sum to 1 (ridge-fit.ts affineRidgeFit). */
  affine: boolean;
}

export interface StepForecast {
  /** The computed steps read, most recent first. */
  sources: number[];
  /** [channel][regressor]: one weight per source, then α and β with inputTerm. Rows are equal without perChannel. */
  weights: number[][];
  /** Profiled ‖r̂ − r‖₂ / ‖r‖₂ on the calibration runs. */
  error: number;
  /** Profiled max(‖r_s − r_{t_1}‖₂, ‖r̂_s − r_{t_1}‖₂) / ‖r_{t_1}‖₂: how far the forecast may move from the last computed residual. */
  band: number;
}

export interface LinearPredictor {
  /** The run setup it was fitted for; a run with another key is refused. */
  key: CacheProfileKey;
  compute: boolean[];
  options: LinearFitOptions;
  inputTerm: boolean;
  /** Per branch, per step: the forecast (null on computed steps). */
  branches: Partial<Record<Branch, (StepForecast | null)[]>>;
  /** Per step: the mean profiled relative error over the fitted series (0 when computed). */
  error: number[];
  /** Per step: φ (1 when computed). */
  phi: number[];
}

/** @throws CacheProfileError when the profile lacks the guided series 'guided' needs; RangeError on a schedule of the wrong length or without step 0 */
export function fitLinearPredictor(profile: CacheProfile, compute: readonly boolean[], options: LinearFitOptions): LinearPredictor {
  const T = profile.key.steps;
  if (compute.length !== T) throw new RangeError(`linear predictor: a schedule of ${compute.length} steps for a profile of ${T}`);
  if (compute[0] !== true) throw new RangeError('linear predictor: step 0 must be computed');
  if (!(Number.isInteger(options.history) && options.history >= 1 && options.history <= 4)) throw new RangeError(`linear predictor: history must be 1..4, got ${options.history}`);
  const series = ertaSeries(profile, options.signal);
  const fits = series.map((s) => fitSeries(s, compute, options));
  const branches: Partial<Record<Branch, (StepForecast | null)[]>> = {};
  profile.branches.forEach((b, i) => {
    branches[b] = fits.length === 1 ? (fits[0] as SeriesFit).steps : (fits[i] as SeriesFit).steps;
  });
  const mean = (k: number, f: (fit: SeriesFit) => number): number => fits.reduce((s, fit) => s + f(fit), 0) / fits.length;
  return {
    key: { ...profile.key },
    compute: [...compute],
    options: { ...options },
    inputTerm: options.inputTerm,
    branches,
    error: compute.map((c, k) => (c ? 0 : mean(k, (fit) => (fit.steps[k] as StepForecast).error))),
    phi: compute.map((c, k) => (c ? 1 : Math.min(1, Math.max(0, mean(k, (fit) => fit.phi[k] as number))))),
  };
}

/** @throws CacheProfileError naming the difference when the predictor was fitted for another run setup */
export function checkPredictorKey(predictor: LinearPredictor, key: CacheProfileKey, method: string): void {
  const match = profileMatches({ key: predictor.key }, key);
  if (!match.ok) throw new CacheProfileError(`${method}: the linear predictor ${match.reason.replace(/^profile /, '')}; profile this model again for this setup`);
}

interface SeriesFit {
  steps: (StepForecast | null)[];
  phi: number[];
}

function fitSeries(series: BranchProfile, compute: readonly boolean[], o: LinearFitOptions): SeriesFit {
  const p = series.pooled;
  const channels = p.x.map((_, c) => c);
  const computed: number[] = [];
  const steps: (StepForecast | null)[] = [];
  const phi: number[] = [];
  compute.forEach((isComputed, s) => {
    if (isComputed) {
      computed.unshift(s);
      steps.push(null);
      phi.push(1);
      return;
    }
    const sources = computed.slice(0, o.history);
    const regressors: Regressor[] = [...sources.map((step): Regressor => ({ kind: 'residual', step })), ...(o.inputTerm ? [{ kind: 'input' } as const, { kind: 'bias' } as const] : [])];
    const extrapolate = extrapolates(sources, o.prior, o.priorGap);
    const prior = priorWeights(regressors.length, sources, s, extrapolate);
    // The affine constraint goes with the extrapolating prior: beyond the gap the fit may shrink toward reuse.
    const fitOptions = { ridge: o.ridge, affine: o.affine && extrapolate };
    const all = gramSystem(p, channels, s, regressors);
    const scalar = fitWeights(fitOptions, all, sources.length, prior);
    let rss = scalar.rss;
    let move = quadraticFormFrom(all.gram, scalar.weights, 0);
    let weights = channels.map(() => scalar.weights);
    if (o.perChannel) {
      rss = 0;
      move = 0;
      weights = channels.map((c) => {
        const one = gramSystem(p, [c], s, regressors);
        const fit = fitWeights(fitOptions, one, sources.length, scalar.weights);
        rss += fit.rss;
        move += quadraticFormFrom(one.gram, fit.weights, 0);
        return fit.weights;
      });
    }
    const anchor = sources[0] as number;
    const anchorNorm2 = sum(channels, (c) => residualInner(p, c, anchor, anchor));
    const trueMove = sum(channels, (c) => residualInner(p, c, s, s) - 2 * residualInner(p, c, anchor, s) + residualInner(p, c, anchor, anchor));
    steps.push({
      sources,
      weights,
      error: ratio(rss, all.targetNorm2),
      band: ratio(Math.max(trueMove, move), anchorNorm2),
    });
    phi.push(1 - ratio(rss, outputNorm2(p, channels, s)));
  });
  return { steps, phi };
}

/** One step's ridge fit, affine in the sources or free (`prior` as ridge-fit.ts's). */
function fitWeights(o: Pick<LinearFitOptions, 'ridge' | 'affine'>, system: { gram: number[][]; rhs: number[]; targetNorm2: number }, sources: number, prior: readonly number[]): RidgeResult {
  return o.affine ? affineRidgeFit(system.gram, system.rhs, system.targetNorm2, sources, o.ridge, prior) : ridgeFit(system.gram, system.rhs, system.targetNorm2, o.ridge, prior);
}

/** Whether step s's fit is pulled toward TaylorSeer's extrapolation: the 'taylor' prior, two sources at most `gap` steps apart. */
function extrapolates(sources: readonly number[], prior: 'reuse' | 'taylor', gap: number): boolean {
  return prior === 'taylor' && sources.length >= 2 && (sources[0] as number) - (sources[1] as number) <= gap;
}

/**
 * The ridge prior per regressor: reuse (1 on r_{t_1}), or where the step extrapolates TaylorSeer's
 * order-1 forecast k steps after t_1 with slope from t_2: (1 + k/d)·r_{t_1} − (k/d)·r_{t_2},
 * d = t_1 − t_2.
 */
function priorWeights(count: number, sources: readonly number[], s: number, extrapolate: boolean): number[] {
  const w = new Array<number>(count).fill(0);
  w[0] = 1;
  if (extrapolate) {
    const slope = (s - (sources[0] as number)) / ((sources[0] as number) - (sources[1] as number));
    w[0] = 1 + slope;
    w[1] = -slope;
  }
  return w;
}

/** ‖v_s‖² = ‖x_s + r_s‖² = Σ x² + 2Σ x·r + Σ r². */
function outputNorm2(p: PooledChannelSums, channels: readonly number[], s: number): number {
  const x: Regressor = { kind: 'input' };
  const r: Regressor = { kind: 'residual', step: s };
  return sum(channels, (c) => regressorInner(p, c, s, x, x) + 2 * regressorInner(p, c, s, x, r) + regressorInner(p, c, s, r, r));
}

/** √(a / b), 0 for 0/0 and a large finite number for a/0. */
function ratio(a: number, b: number): number {
  if (b > 0) return Math.sqrt(Math.max(0, a) / b);
  return a > 0 ? 1e30 : 0;
}

function sum(channels: readonly number[], f: (c: number) => number): number {
  return channels.reduce((acc, c) => acc + f(c), 0);
}
