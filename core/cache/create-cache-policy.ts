/**
 * Builds the policy a run uses from the user's config and, for the methods that need one, a
 * calibration profile together with the run's key. The profile is checked against the key first:
 * a profile for another model, scheduler, step count, shift, CFG or size is refused with the
 * reason, never applied.
 *   none, fora, easycache — no profile
 *   teacache — a profile (to fit the polynomial) unless config.coefficients is given
 *   magcache, ertacache — a profile
 *   taylorseer — no profile
 *   linear, ertacache-forecast — a profile, on which the predictor is fitted for the run's key
 */
import type { CacheConfig } from './cache-config';
import { CacheConfigError, CacheProfileError } from './cache-errors';
import { EasyCachePolicy } from './policies/easycache-policy';
import { ErtaCachePolicy } from './policies/ertacache-policy';
import { fitLinearPredictor } from './forecast/linear-predictor';
import { linearComputeSteps } from './forecast/linear-schedule';
import { LinearForecastPolicy } from './policies/linear-forecast-policy';
import { TaylorSeerPolicy } from './policies/taylorseer-policy';
import { FixedSchedulePolicy } from './policies/fixed-schedule-policy';
import { TeaCachePolicy } from './policies/teacache-policy';
import { profileMatches } from './profile/profile-match';
import { type CacheProfile, type CacheProfileKey, branchProfile } from './profile/profile-types';
import { foraComputeSteps, magCacheComputeSteps } from './rules/fixed-schedules';
import { fitTeaCachePolynomial, teaCachePairs } from './teacache-polynomial';
import type { CachePolicy } from './types';

/** A calibration profile and the key of the run it is offered for. */
export interface CacheCalibration {
  profile: CacheProfile;
  key: CacheProfileKey;
}

/**
 * @param config a validated config (validateCacheConfig where it entered)
 * @throws CacheConfigError bad config or a needed profile is missing; CacheProfileError profile does not match the run.
 */
export function createCachePolicy(c: CacheConfig, calibration?: CacheCalibration): CachePolicy {
  const profile = (): CacheProfile => {
    if (calibration === undefined) throw new CacheConfigError(`${c.method} needs a calibration profile for this model, scheduler, step count, CFG scale and size; run a calibration first`);
    const match = profileMatches(calibration.profile, calibration.key);
    if (!match.ok) throw new CacheProfileError(`${c.method}: ${match.reason}; recalibrate`);
    return calibration.profile;
  };
  switch (c.method) {
    case 'none':
      return new FixedSchedulePolicy(c, (n) => new Array<boolean>(n).fill(true));
    case 'fora':
      return new FixedSchedulePolicy(c, (n) => foraComputeSteps(n, c.interval));
    case 'magcache':
      return new FixedSchedulePolicy(c, magCacheComputeSteps(meanMagnitudeRatios(profile()), c));
    case 'easycache':
      return new EasyCachePolicy(c);
    case 'teacache': {
      if (c.coefficients !== null) return new TeaCachePolicy(c, c.coefficients, 'any');
      const p = profile();
      return new TeaCachePolicy(c, fitTeaCachePolynomial(teaCachePairs(p)), p.probeSource);
    }
    case 'ertacache':
      return new ErtaCachePolicy(c, profile());
    case 'taylorseer':
      return new TaylorSeerPolicy(c);
    case 'linear':
    case 'ertacache-forecast': {
      const p = profile();
      const predictor = fitLinearPredictor(p, linearComputeSteps(p, c), c);
      return new LinearForecastPolicy(c, predictor, (calibration as CacheCalibration).key, p.sigmas);
    }
  }
}

/** MagCache's γ per branch: the mean over calibration prompts of each step's ratio. */
export function meanMagnitudeRatios(profile: CacheProfile): number[][] {
  return profile.branches.map((b) => {
    const prompts = branchProfile(profile, b).prompts;
    return Array.from({ length: profile.key.steps }, (_, k) => prompts.reduce((s, p) => s + (p.magnitudeRatio[k] as number), 0) / prompts.length);
  });
}
