/**
 * Which stored calibration profile a cached run uses: the newest one in SQLite whose key
 * (model hash, scheduler, steps, shift, CFG, size) is exactly the run's. Only the methods that
 * need one look (MagCache, ERTACache, TeaCache without given coefficients); when none matches,
 * the run is refused with what is missing, what the stored profiles of that model were made for,
 * and the `studio profile` command that records the right one — never run with a wrong one.
 */
import type { ModelInfo, SchedulerName } from '../../contract/api';
import type { CacheConfig, CacheProfileSummary } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { parseCacheProfile, profileKeyFor, CacheProfileError, type CacheProfile, type CacheProfileKey } from '../../core/cache';
import { schedulerFor } from '../pipeline/txt2img';
import { assertProfileFits } from './profile-fit';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import { pipelineGeometry } from '../runtime/pipeline-geometry';
import { checkPipelineLayout } from '../runtime/pipeline-layout';
import type { StudioDb } from '../store/studio-db';

/** The run a key is computed for. */
export interface RunSettings {
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  /** A video model's frames per clip; absent for a still image. */
  frames?: number | undefined;
}

export interface StoredProfile {
  summary: CacheProfileSummary;
  profile: CacheProfile;
}

/** True for the configs whose policy cannot run without a calibration profile. */
export function needsProfile(config: CacheConfig): boolean {
  switch (config.method) {
    case 'magcache':
    case 'ertacache':
    case 'linear':
    case 'ertacache-forecast':
      return true;
    case 'teacache':
      return config.coefficients === null;
    default:
      return false;
  }
}

/** The profile key of a run of `pipeline` (what a profile must have been recorded for); needs no ORT session. */
export function runKey(pipeline: Pick<LoadedPipeline, 'layout' | 'geometry'>, run: RunSettings, modelHash: string): CacheProfileKey {
  const { width, height } = pipeline.geometry;
  return profileKeyFor(schedulerFor(pipeline, run.steps, run.scheduler), { modelHash, cfg: run.cfg, width, height, ...(run.frames === undefined ? {} : { frames: run.frames }) });
}

/** Parses a stored profile; a row that no longer parses is a STORE problem, reported with its id. */
export function loadStoredProfile(db: StudioDb, summary: CacheProfileSummary): StoredProfile {
  const json = db.profiles.getJson(summary.id);
  if (json === undefined) throw new StudioError('NOT_FOUND', `Cache profile ${summary.id} was deleted meanwhile.`, 'profile');
  try {
    return { summary, profile: parseCacheProfile(json) };
  } catch (err) {
    if (!(err instanceof CacheProfileError)) throw err;
    throw new StudioError('STORE', `Stored cache profile ${summary.id} cannot be read (${err.message}); delete it and record a new one.`, db.file);
  }
}

function describeKey(k: CacheProfileKey): string {
  return `${k.scheduler}, ${k.steps} steps, shift ${k.shift}, CFG ${k.cfg}, ${k.width}×${k.height}${k.frames === undefined ? '' : `, ${k.frames} frames`}`;
}

/** The `studio profile` command that records a profile for this run (with the built-in calibration prompts; --prompts-file F for one's own). */
export function profileCommandFor(modelId: string, run: RunSettings): string {
  const scheduler = run.scheduler === 'default' ? '' : ` --scheduler ${run.scheduler}`;
  const frames = run.frames === undefined ? '' : ` --frames ${run.frames}`;
  return `studio profile --model ${modelId} --steps ${run.steps} --cfg ${run.cfg}${scheduler}${frames}`;
}

/** In the app, a missing profile is recorded from the Speed-up panel, which offers it beside the message. */
export const RECORD_PROFILE_IN_APP = 'Record one with "Profile this model" in the Speed-up panel (built-in calibration prompts, about a minute).';

/**
 * Why nothing matched, or undefined when a profile matches. Ends with how to record one: the
 * `studio profile` command, or with `fix: 'app'` the app's button (RECORD_PROFILE_IN_APP).
 */
export function missingProfileReason(
  db: StudioDb,
  key: CacheProfileKey,
  modelId: string,
  run: RunSettings,
  method: string,
  fix: 'cli' | 'app' = 'cli',
): string | undefined {
  if (db.profiles.findMatching(key) !== undefined) return undefined;
  const others = db.profiles.list({ modelHash: key.modelHash });
  const stored = others.length === 0
    ? `no profile is stored for model ${modelId}`
    : `the stored profiles of model ${modelId} were made for ${others.slice(0, 3).map((p) => describeKey({ ...p })).join('; ')}${others.length > 3 ? '; …' : ''}`;
  const how = fix === 'app' ? RECORD_PROFILE_IN_APP : `Record one with: ${profileCommandFor(modelId, run)}`;
  return `${method} needs a calibration profile for ${describeKey(key)}; ${stored}. ${how}`;
}

/**
 * The profile a run with `config` uses, or undefined when its method needs none.
 * @throws StudioError INVALID_REQUEST (field `cache`) when one is needed and none matches
 */
export function profileForRun(db: StudioDb, pipeline: LoadedPipeline, config: CacheConfig, run: RunSettings, model: { id: string; hash: string }): StoredProfile | undefined {
  if (!needsProfile(config)) return undefined;
  const key = runKey(pipeline, run, model.hash);
  const summary = db.profiles.findMatching(key);
  if (summary === undefined) {
    throw new StudioError('INVALID_REQUEST', missingProfileReason(db, key, model.id, run, config.method) ?? 'no matching profile', 'cache');
  }
  const stored = loadStoredProfile(db, summary);
  assertProfileFits(summary.id, stored.profile, schedulerFor(pipeline, run.steps, run.scheduler), pipeline.geometry, run.frames);
  return stored;
}

/**
 * Fails fast, before a job is queued, when `config` needs a profile and none matches the run;
 * uses only the pipeline folder's layout (no ORT session), like cache.plan. The app's service
 * calls it, so the message points to the app's profiling button.
 * @throws StudioError INVALID_REQUEST (field `cache`)
 */
export async function requireProfileIfNeeded(db: StudioDb, model: ModelInfo, config: CacheConfig, run: RunSettings): Promise<void> {
  if (!needsProfile(config)) return;
  const layout = checkPipelineLayout(model.dir);
  const key = runKey({ layout, geometry: pipelineGeometry(layout) }, run, await pipelineHash(model.dir));
  const reason = missingProfileReason(db, key, model.id, run, config.method, 'app');
  if (reason !== undefined) throw new StudioError('INVALID_REQUEST', reason, 'cache');
}
