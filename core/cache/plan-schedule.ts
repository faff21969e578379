/**
 * Predictions before generating, for the UI's threshold sliders: which steps run the model, the
 * speedup in model calls and the expected error, from the calibration profile alone.
 *
 *   exact (fixed before the run): none, FORA, MagCache, ERTACache — the same rule functions the
 *     policies run, so computeSteps is what the run will do.
 *   approximate: TeaCache, EasyCache — their rules are replayed on each calibration prompt's
 *     recorded full trajectory (the real run adapts to its own prompt and to its own cached
 *     trajectory); computeSteps is the majority over prompts, computeShare the fraction.
 *
 * predictedSpeedup = numSteps / model calls (model time only; VAE, text encoder and cache overhead
 * excluded). predictedError = mean over steps (0 on computed steps), prompts and branches of the
 * relative L1 error of the reused output, ‖r_j − r_k‖₁ / ‖r_k‖₁ (profile/reuse-error.ts), i.e. of
 * plain residual reuse; ERTACache's rectification and time adjustment act on top of it and are not
 * in this number. null without a profile. For the forecasting methods `skipped` is 'forecast':
 * TaylorSeer's error is still plain reuse's (an upper bound it does not measure), the linear
 * predictors' is the fitted forecast's mean relative L2 error on the calibration runs.
 */
import type { CacheConfig } from './cache-config';
import { CacheConfigError, CacheProfileError } from './cache-errors';
import { type CacheCalibration, meanMagnitudeRatios } from './create-cache-policy';
import { deriveErtaSchedule } from './erta/derive-erta-schedule';
import { strictPairIndex } from './profile/pair-index';
import { profileMatches } from './profile/profile-match';
import { type CacheProfile, type PromptTrajectoryStats, branchProfile } from './profile/profile-types';
import { staleResidualError } from './profile/reuse-error';
import { EasyCacheAccumulator, TeaCacheAccumulator, easyCacheWarmupSteps } from './rules/adaptive-accumulators';
import { foraComputeSteps, magCacheComputeSteps } from './rules/fixed-schedules';
import { taylorSeerComputeSteps } from './forecast/forecast-schedules';
import { fitLinearPredictor } from './forecast/linear-predictor';
import { linearComputeSteps } from './forecast/linear-schedule';
import { evaluatePolynomial, fitTeaCachePolynomial, teaCachePairs } from './teacache-polynomial';
import type { CacheMethod } from './types';
import { ratioOrInfinity } from '../metrics/rel-l1';

export interface SchedulePlan {
  method: CacheMethod;
  numSteps: number;
  /** Per step: true = the model runs. */
  computeSteps: boolean[];
  /** Per step: fraction of calibration prompts whose replay computes it (0 or 1 when exact). */
  computeShare: number[];
  /** Model calls per run (mean over prompts when approximate). */
  modelCalls: number;
  predictedSpeedup: number;
  predictedError: number | null;
  /** True when computeSteps is exactly what a run does. */
  exact: boolean;
  /** What a skipped step's output is: the cached residual reused, or a forecast from several computed steps. */
  skipped: 'reuse' | 'forecast';
  /** One line for the UI on how the numbers were obtained. */
  note: string;
}

/**
 * @param c a validated config (validateCacheConfig where it entered)
 * @param options.error false skips the predicted error of the reuse methods (null then), for a
 *   caller that needs only which steps run, many times over (plan-stops.ts's sweep)
 * @throws CacheConfigError for a needed profile that is missing; CacheProfileError on a profile/run mismatch.
 */
export function planSchedule(c: CacheConfig, numSteps: number, calibration?: CacheCalibration, options: { error?: boolean } = {}): SchedulePlan {
  if (!Number.isInteger(numSteps) || numSteps < 1) throw new CacheConfigError(`plan: steps must be a positive integer, got ${numSteps}`);
  let profile: CacheProfile | undefined;
  if (calibration !== undefined) {
    const match = profileMatches(calibration.profile, calibration.key);
    if (!match.ok) throw new CacheProfileError(`${c.method}: ${match.reason}; recalibrate`);
    if (calibration.key.steps !== numSteps) throw new CacheProfileError(`plan: ${numSteps} steps requested for a run of ${calibration.key.steps}`);
    profile = calibration.profile;
  }
  const need = (): CacheProfile => {
    if (profile === undefined) throw new CacheConfigError(`${c.method} needs a calibration profile to plan a schedule`);
    return profile;
  };
  const withError = options.error ?? true;
  /** The profile the fixed plans measure their error on; none when the error is not wanted. */
  const errorProfile = withError ? profile : undefined;
  const exactNote = 'fixed schedule; error measured on the calibration runs (plain residual reuse)';
  switch (c.method) {
    case 'none':
      return fixedPlan(c.method, new Array<boolean>(numSteps).fill(true), errorProfile, exactNote);
    case 'fora':
      return fixedPlan(c.method, foraComputeSteps(numSteps, c.interval), errorProfile, exactNote);
    case 'magcache':
      return fixedPlan(c.method, magCacheComputeSteps(meanMagnitudeRatios(need()), c), errorProfile, exactNote);
    case 'ertacache':
      return fixedPlan(c.method, deriveErtaSchedule(need(), c.lambda, { rectification: 'off' }).compute, errorProfile, `${exactNote}; rectification and time adjustment reduce the error further`);
    case 'teacache': {
      const p = need();
      const coefficients = c.coefficients ?? fitTeaCachePolynomial(teaCachePairs(p));
      return replayPlan(c.method, p, (prompt) => replayTeaCache(prompt, c.threshold, coefficients, c.maxConsecutiveSkips), withError);
    }
    case 'easycache': {
      const p = need();
      return replayPlan(c.method, p, (prompt) => replayEasyCache(prompt, c.threshold, easyCacheWarmupSteps(c.warmupRatio, numSteps)), withError);
    }
    case 'taylorseer':
      return { ...fixedPlan(c.method, taylorSeerComputeSteps(numSteps, c.warmup, c.interval), errorProfile, 'fixed schedule; skipped steps are forecast, the error shown is plain reuse\'s (the forecast should do better)'), skipped: 'forecast' };
    case 'linear':
    case 'ertacache-forecast': {
      const p = need();
      const predictor = fitLinearPredictor(p, linearComputeSteps(p, c), c);
      const plan = fixedPlan(c.method, predictor.compute, p, 'fixed schedule; error: the fitted forecast\'s relative L2 error on the calibration runs');
      return { ...plan, skipped: 'forecast', predictedError: mean(predictor.error) };
    }
  }
}

function fixedPlan(method: CacheMethod, compute: boolean[], profile: CacheProfile | undefined, note: string): SchedulePlan {
  const calls = compute.filter(Boolean).length;
  return {
    method,
    numSteps: compute.length,
    computeSteps: compute,
    computeShare: compute.map((x) => (x ? 1 : 0)),
    modelCalls: calls,
    predictedSpeedup: compute.length / calls,
    predictedError: profile === undefined ? null : mean(promptsOf(profile).map((prompt) => scheduleError(prompt, compute))),
    exact: true,
    skipped: 'reuse',
    note,
  };
}

/** One calibration prompt seen through every branch (the same index in each branch's list). */
type PromptBranches = PromptTrajectoryStats[];

function promptsOf(profile: CacheProfile): PromptBranches[] {
  const perBranch = profile.branches.map((b) => branchProfile(profile, b).prompts);
  return (perBranch[0] ?? []).map((_, i) => perBranch.map((list) => list[i] as PromptTrajectoryStats));
}

function replayPlan(method: CacheMethod, profile: CacheProfile, replay: (prompt: PromptBranches) => boolean[], withError: boolean): SchedulePlan {
  const runs = promptsOf(profile).map((prompt) => ({ prompt, compute: replay(prompt) }));
  const T = profile.key.steps;
  const share = Array.from({ length: T }, (_, k) => mean(runs.map((r) => (r.compute[k] ? 1 : 0))));
  const calls = mean(runs.map((r) => r.compute.filter(Boolean).length));
  return {
    method,
    numSteps: T,
    computeSteps: share.map((s) => s >= 0.5),
    computeShare: share,
    modelCalls: calls,
    predictedSpeedup: T / calls,
    predictedError: withError ? mean(runs.map((r) => scheduleError(r.prompt, r.compute))) : null,
    exact: false,
    skipped: 'reuse',
    note: 'approximate: the adaptive rule replayed on the calibration runs; a real run adapts to its own prompt',
  };
}

/** Mean over steps of the reuse error (0 when computed), averaged over branches. */
function scheduleError(prompt: PromptBranches, compute: readonly boolean[]): number {
  let last = 0;
  let total = 0;
  compute.forEach((c, k) => {
    if (c) last = k;
    else total += mean(prompt.map((p) => staleResidualError(p, last, k)));
  });
  return total / compute.length;
}

function replayTeaCache(prompt: PromptBranches, threshold: number, coefficients: readonly number[], maxSkips: number): boolean[] {
  const T = prompt[0]?.probeRelL1.length ?? 0;
  const rule = new TeaCacheAccumulator(threshold, (d) => evaluatePolynomial(coefficients, d), maxSkips);
  return Array.from({ length: T }, (_, k) => rule.decide(k, T, prompt.map((p) => p.probeRelL1[k] as number), k > 0) === 'compute');
}

function replayEasyCache(prompt: PromptBranches, threshold: number, warmupSteps: number): boolean[] {
  const T = prompt[0]?.inputL1.length ?? 0;
  const rule = new EasyCacheAccumulator(threshold, warmupSteps);
  const last: (number | undefined)[] = prompt.map(() => undefined);
  const rate: (number | undefined)[] = prompt.map(() => undefined);
  const compute: boolean[] = [];
  for (let k = 0; k < T; k++) {
    const predicted = k === 0 || rate.some((r) => r === undefined) ? undefined : prompt.map((p, b) => {
      const a = last[b] as number;
      return ((rate[b] as number) * (p.inputDist[strictPairIndex(k - 1, k)] as number)) / Math.max(p.outputL1[a] as number, Number.MIN_VALUE);
    });
    const computed = rule.decide(k, T, predicted, k > 0) === 'compute';
    compute.push(computed);
    if (!computed) continue;
    prompt.forEach((p, b) => {
      const a = last[b];
      if (a !== undefined) rate[b] = ratioOrInfinity(p.outputDist[strictPairIndex(a, k)] as number, p.inputDist[strictPairIndex(a, k)] as number);
      last[b] = k;
    });
  }
  return compute;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
