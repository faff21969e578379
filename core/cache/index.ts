/**
 * The caching engine's public API (see README.md for the loop that drives it).
 */
export type { Branch, CacheDecision, CacheMethod, CachePolicy, CacheStepContext, ForecastStats } from './types';
export { BRANCHES } from './types';
export { type CacheConfig, type CacheConfigOf, CACHE_METHODS, cacheConfigSchema, defaultCacheConfig, validateCacheConfig } from './cache-config';
export { CacheConfigError, CacheProfileError } from './cache-errors';
export { type CacheCalibration, createCachePolicy } from './create-cache-policy';
export { schedulerForCache } from './scheduler-for-cache';
export { type SchedulePlan, planSchedule } from './plan-schedule';
export { ProfileRecorder, type ProfileRecorderOptions } from './profile/profile-recorder';
export { parseCacheProfile } from './profile/parse-profile';
export { type ProfileMatch, profileMatches } from './profile/profile-match';
export { type CacheProfile, type CacheProfileKey, CACHE_PROFILE_VERSION, branchesForCfg } from './profile/profile-types';
export { type ErtaSchedule, deriveErtaSchedule } from './erta/derive-erta-schedule';
export { type TeaCachePair, fitTeaCachePolynomial, teaCachePairs } from './teacache-polynomial';
export { type RunIdentity, profileKeyFor } from './profile/profile-key';
export { nominalSigmas } from '../sampler/custom-sigmas';
export { cachePolicyHook, perModelCacheHook, profileRecorderHook } from './cache-hooks';
export { type LinearFitOptions, type LinearPredictor, type StepForecast, checkPredictorKey, fitLinearPredictor } from './forecast/linear-predictor';
export { placedComputeSteps, taylorSeerComputeSteps, taylorSeerIntervalFor, uniformComputeSteps } from './forecast/forecast-schedules';
