/**
 * Moving calibration profiles in and out of the store: export (the stored JSON, byte for byte),
 * import (checked by core/cache's parseCacheProfile, then stored as is), listing for a model, and
 * delete. A profile is portable between machines because its key names the model by content hash,
 * not by id; on import the id is looked up among the installed models by that hash ('' if none).
 */
import type { CacheProfileSummary } from '../../contract/cache';
import { StudioError } from '../../contract/errors';
import { CacheProfileError, parseCacheProfile } from '../../core/cache';
import type { ModelRegistry } from '../models/model-registry';
import { pipelineHash } from '../runtime/model-hash';
import type { StudioDb } from '../store/studio-db';

/** @throws StudioError NOT_FOUND for an unknown id */
export function exportProfile(db: StudioDb, id: number): string {
  const json = db.profiles.getJson(id);
  if (json === undefined) throw new StudioError('NOT_FOUND', `There is no cache profile ${id}.`, 'id');
  return json;
}

/** The id of the installed model whose pipeline hash is `hash`, or '' (hashes are cached per folder). */
async function modelIdForHash(registry: ModelRegistry, hash: string): Promise<string> {
  for (const m of registry.list()) {
    if ((await pipelineHash(m.dir)) === hash) return m.id;
  }
  return '';
}

/**
 * Stores a profile file's text.
 * @throws StudioError INVALID_REQUEST 'The profile file is not valid: …' for corrupt or foreign JSON
 */
export async function importProfile(db: StudioDb, registry: ModelRegistry, json: string): Promise<CacheProfileSummary> {
  let profile;
  try {
    profile = parseCacheProfile(json);
  } catch (err) {
    if (err instanceof CacheProfileError) throw new StudioError('INVALID_REQUEST', `The profile file is not valid: ${err.message}`, 'json');
    throw err;
  }
  const modelId = await modelIdForHash(registry, profile.key.modelHash);
  return db.profiles.insert({ modelId, profile, json, createdAt: new Date().toISOString() });
}

/** Profiles of one model (by id or folder, matched by content hash), or all; newest first. */
export async function listProfiles(db: StudioDb, registry: ModelRegistry, model?: string): Promise<CacheProfileSummary[]> {
  if (model === undefined) return db.profiles.list();
  const info = registry.resolve(model);
  return db.profiles.list({ modelHash: await pipelineHash(info.dir) });
}

/** @returns false when there was no such profile */
export function deleteProfile(db: StudioDb, id: number): boolean {
  return db.profiles.delete(id);
}
