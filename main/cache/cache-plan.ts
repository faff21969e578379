/**
 * 'cache.plan': what a cache setting will do for a run, before running it — core/cache's
 * planSchedule on the newest matching stored profile (compute steps, predicted speedup in model
 * calls, predicted error). Needs no ORT session: the scheduler and image size come from the
 * pipeline folder's layout, so dragging a threshold slider costs milliseconds.
 *
 * When the method needs a profile and none matches, or the setting cannot run on this scheduler,
 * the answer is `{ plan: null, problem }` with the reason (and how to record a profile in the
 * app) rather than an error: the UI shows it next to the slider.
 *
 * With a plan come the knob values where the plan changes (plan-stops.ts; swept once per
 * profile and setting, then reused while the slider moves) and the PSNR the model's cache
 * benchmarks measured at this many model calls (predicted-psnr.ts).
 */
import type { CacheConfig, CachePlanRequest, CachePlanResponse } from '../../contract/cache';
import { CacheConfigError, CacheProfileError, nominalSigmas, planSchedule, type CacheCalibration, type CacheProfile } from '../../core/cache';
import { withMainKnob } from '../../core/cache/main-knob';
import { planStops } from '../../core/cache/plan-stops';
import type { ModelRegistry } from '../models/model-registry';
import { schedulerFor } from '../pipeline/txt2img';
import { pipelineHash } from '../runtime/model-hash';
import { pipelineGeometry } from '../runtime/pipeline-geometry';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import type { StudioDb } from '../store/studio-db';
import { loadMatchedReportsCached, predictedPsnr } from './predicted-psnr';
import { profileFitProblem } from './profile-fit';
import { loadStoredProfile, missingProfileReason, needsProfile, RECORD_PROFILE_IN_APP, runKey } from './profile-lookup';

/** The last parsed profile, by JSON sha256: slider moves re-plan against the same profile. */
let lastParsed: { sha256: string; profile: CacheProfile } | undefined;

/** Stops by profile, steps and setting (the main knob left out): the sweep runs once per setting, not per slider move. */
const stopsCache = new Map<string, number[]>();
const STOPS_CACHE_MAX = 32;

function cachedStops(config: CacheConfig, steps: number, calibration: CacheCalibration | undefined, profileSha: string): number[] {
  const key = `${profileSha}|${steps}|${JSON.stringify(withMainKnob(config, 0))}`;
  let stops = stopsCache.get(key);
  if (stops === undefined) {
    stops = planStops(config, steps, calibration);
    if (stopsCache.size >= STOPS_CACHE_MAX) stopsCache.delete(stopsCache.keys().next().value as string);
    stopsCache.set(key, stops);
  }
  return stops;
}

/**
 * @param req validated where it entered (validateCallRequest)
 * @param ctx.benchDirs folders of matched-calls benchmark reports (recommend-cache.ts), for the predicted PSNR
 */
export async function planCache(req: CachePlanRequest, ctx: { registry: ModelRegistry; db: StudioDb; benchDirs?: readonly string[] }): Promise<CachePlanResponse> {
  const model = ctx.registry.resolve(req.model);
  const layout = checkPipelineLayout(model.dir);
  const pipeline = { layout, geometry: pipelineGeometry(layout) };
  const key = runKey(pipeline, req, await pipelineHash(model.dir));
  const config = req.cache;
  if ((config.method === 'ertacache' || config.method === 'ertacache-forecast') && config.timeAdjustment && nominalSigmas(schedulerFor(pipeline, req.steps, req.scheduler)) === undefined) {
    return { plan: null, profile: null, problem: `${config.method}: time adjustment needs the flow-match Euler or Euler scheduler, not ${key.scheduler}; pick one of those or turn time adjustment off`, problemFix: 'settings', stops: [], predictedPsnr: null };
  }
  const summary = ctx.db.profiles.findMatching(key);
  if (summary === undefined) {
    const reason = needsProfile(config) ? missingProfileReason(ctx.db, key, model.id, req, config.method, 'app') : undefined;
    if (reason !== undefined) return { plan: null, profile: null, problem: reason, problemFix: 'profile', stops: [], predictedPsnr: null };
  }
  let profile: CacheProfile | undefined;
  if (summary !== undefined) {
    if (lastParsed?.sha256 !== summary.sha256) lastParsed = { sha256: summary.sha256, profile: loadStoredProfile(ctx.db, summary).profile };
    profile = lastParsed.profile;
    const misfit = profileFitProblem(profile, schedulerFor(pipeline, req.steps, req.scheduler), pipeline.geometry);
    if (misfit !== undefined) {
      return { plan: null, profile: summary, problem: `Cache profile ${summary.id} was recorded for another run: ${misfit}. Delete it and record a new one`, problemFix: 'profile', stops: [], predictedPsnr: null };
    }
  }
  try {
    const calibration = profile && { profile, key };
    const plan = planSchedule(config, req.steps, calibration);
    const stops = cachedStops(config, req.steps, calibration, summary?.sha256 ?? 'no profile');
    const psnr = predictedPsnr(loadMatchedReportsCached(ctx.benchDirs ?? []), key, config, plan.modelCalls);
    return { plan, profile: summary ?? null, problem: null, problemFix: null, stops, predictedPsnr: psnr };
  } catch (err) {
    if (!(err instanceof CacheConfigError || err instanceof CacheProfileError)) throw err;
    return { plan: null, profile: summary ?? null, problem: `${err.message}. ${RECORD_PROFILE_IN_APP}`, problemFix: 'profile', stops: [], predictedPsnr: null };
  }
}
