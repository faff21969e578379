/**
 * Caching in the API contract: what a request asks for, what a run reports, and what the
 * profile calls exchange. The cache config itself is core/cache's CacheConfig (pure TS), so
 * the UI, the CLI and the sampler agree on one definition and one validator.
 */
import { cacheConfigSchema, type CacheConfig } from '../core/cache/cache-config';
import type { SchedulePlan } from '../core/cache/plan-schedule';
import type { CacheMethod } from '../core/cache/types';

export type { CacheConfig, CacheMethod, SchedulePlan };

/** Each method's knobs (its schema's fields), from core/cache's schema itself. */
const KNOBS: ReadonlyMap<string, readonly string[]> = new Map(
  cacheConfigSchema.options.map((o) => [o.shape.method.value as string, Object.keys(o.shape).filter((k) => k !== 'method')]),
);

/**
 * The first field of a requested cache config that its method does not have, as a sentence;
 * undefined when there is none (or the method itself is unknown: the schema reports that).
 * Why: core's schema drops unknown fields (stored reports and recipes keep parsing), but at the
 * API a typo such as `treshold` must be refused, as unknown top-level fields are.
 */
export function unknownCacheKnob(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const method = (value as { method?: unknown }).method;
  const knobs = typeof method === 'string' ? KNOBS.get(method) : undefined;
  if (knobs === undefined) return undefined;
  const unknown = Object.keys(value).find((k) => k !== 'method' && !knobs.includes(k));
  if (unknown === undefined) return undefined;
  return `${method}: unknown knob ${JSON.stringify(unknown.slice(0, 40))} (${knobs.length > 0 ? `its knobs: ${knobs.join(', ')}` : 'it takes none'})`;
}

/** What a cached run did, stored with its history row (absent for runs without a cache). */
export interface CacheRunStats {
  /** Denoiser calls (a batched CFG call counts once). */
  modelCalls: number;
  /** Steps of the run; modelCalls / steps is the share computed. */
  steps: number;
  /** Per step: true = the model ran, false = the output came from the cache. */
  computeSteps: boolean[];
  /** History id of the profile the policy used, null when it needs none. */
  profileId: number | null;
  /** Forecasting methods: per step, true = the output was forecast from earlier computed steps (not run, not plainly reused). */
  forecastSteps?: boolean[];
  /** Forecasting methods: steps the schedule skipped but that ran the model because the forecast was non-finite or outside its profiled band. */
  fallbackSteps?: number[];
}

/** A stored calibration profile, without its (large) data. */
export interface CacheProfileSummary {
  id: number;
  modelId: string;
  modelHash: string;
  scheduler: string;
  steps: number;
  shift: number;
  cfg: number;
  width: number;
  height: number;
  /** Frames of the clips a video model's profile was recorded on; absent for still images. */
  frames?: number;
  /** Calibration prompts recorded. */
  prompts: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Size of the profile JSON, bytes. */
  sizeBytes: number;
  /** sha256 (hex) of the profile JSON: what Recipe.cacheProfileHash names. */
  sha256: string;
}

/** The requests of cache.plan and profiles.start, defined by their schemas. */
export type { CachePlanRequest, CacheRecommendRequest, CacheRunTarget, ProfileStartRequest } from './request-schema';

/** The budgets (model calls) the studio offers to choose a cache setting for: those the shipped matched-calls benchmarks measure. */
export const CACHE_BUDGETS = [38, 25, 17, 13, 10, 8, 6] as const;

/** The cache setting with the best measured PSNR at a budget of model calls (main/cache/recommend-cache.ts). */
export interface CacheRecommendation {
  config: CacheConfig;
  /** The budget it was measured at (at most the calls asked for). */
  calls: number;
  /** dB against the uncached image, as benchmarked. */
  psnr: number;
  /** Plain sampling with `calls` steps, same benchmark: what the method beats. */
  baselinePsnr: number;
  speedup: number;
}

export interface CacheRecommendResponse {
  /** null when nothing is measured for the run or no method beats the fewer-steps baseline; `reason` then says why. */
  recommendation: CacheRecommendation | null;
  reason: string | null;
}

export interface CachePlanResponse {
  /** null when the method needs a profile and none matches; `problem` then says why. */
  plan: SchedulePlan | null;
  profile: CacheProfileSummary | null;
  problem: string | null;
  /** What resolves `problem`: recording a profile, or changing the settings (e.g. the scheduler); null without a problem. */
  problemFix: 'profile' | 'settings' | null;
  /**
   * Values of the method's main knob where the plan changes, ascending (core/cache/plan-stops.ts):
   * the slider steps through these, so every position gives a different plan. [] without a plan.
   */
  stops: number[];
  /** What the model's cache benchmarks measured for this method at the plan's model calls; null when none did. */
  predictedPsnr: PredictedPsnr | null;
}

/** A PSNR read off the matched-calls benchmarks of the same model, steps and scheduler (main/cache/predicted-psnr.ts). */
export interface PredictedPsnr {
  /** dB against the uncached image. */
  db: number;
  /**
   * 'interpolated' between two measured budgets; 'at-most' / 'at-least' when the plan makes fewer
   * / more model calls than any budget measured: `db` is then the PSNR at the nearest budget, an
   * upper / lower bound.
   */
  bound: 'interpolated' | 'at-most' | 'at-least';
  /** The model calls `db` is for. */
  calls: number;
  /** CFG scale of the benchmark (the run's own when one was measured at it, else the nearest). */
  cfg: number;
}

export const CACHE_PROFILE_LIMITS = {
  promptsMin: 1,
  promptsMax: 64,
  /** Profile JSON accepted by import, bytes. */
  importBytesMax: 64 * 1024 * 1024,
} as const;
