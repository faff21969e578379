/**
 * Calibration profiles in SQLite (table cache_profiles, migration 0002): insert, list, get,
 * the JSON itself, delete, and the lookup a cached run makes — the newest profile whose key
 * matches the run. The SQL lives here and nowhere else.
 *
 * The JSON is stored verbatim (what was recorded, or the imported file's text), so an export
 * returns the same bytes and its sha256 (json_sha256) identifies it in recipes. Listing never
 * reads the JSON column: a profile is megabytes, its summary a few fields.
 */
import crypto from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { CacheProfileSummary } from '../../contract/cache';
import type { CacheProfile, CacheProfileKey } from '../../core/cache';
import { storeError } from './store-error';

export interface NewProfile {
  /** Registry id of the model, '' when unknown (an import for a model not installed here). */
  modelId: string;
  /** The parsed profile: its key and prompt count fill the columns. */
  profile: CacheProfile;
  /** Its JSON text, stored as is. */
  json: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

export interface ProfileFilter {
  modelHash?: string;
}

export interface ProfilesRepo {
  insert(p: NewProfile): CacheProfileSummary;
  /** Newest first. */
  list(filter?: ProfileFilter): CacheProfileSummary[];
  get(id: number): CacheProfileSummary | undefined;
  getJson(id: number): string | undefined;
  delete(id: number): boolean;
  /** The newest profile recorded for exactly this run key (shift and cfg within 1e-9 relative). */
  findMatching(key: CacheProfileKey): CacheProfileSummary | undefined;
}

interface Row {
  id: number;
  model_id: string;
  model_hash: string;
  scheduler: string;
  steps: number;
  shift: number;
  cfg: number;
  width: number;
  height: number;
  /** NULL for a still image's profile (migration 0011). */
  frames: number | null;
  prompts: number;
  created_at: string;
  json_sha256: string;
  size_bytes: number;
}

const COLUMNS = 'id, model_id, model_hash, scheduler, steps, shift, cfg, width, height, frames, prompts, created_at, json_sha256, size_bytes';

/** Same tolerance as core/cache's profileMatches for the float fields. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function toSummary(r: Row): CacheProfileSummary {
  return {
    id: r.id,
    modelId: r.model_id,
    modelHash: r.model_hash,
    scheduler: r.scheduler,
    steps: r.steps,
    shift: r.shift,
    cfg: r.cfg,
    width: r.width,
    height: r.height,
    ...(r.frames === null ? {} : { frames: r.frames }),
    prompts: r.prompts,
    createdAt: r.created_at,
    sizeBytes: r.size_bytes,
    sha256: r.json_sha256,
  };
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function createProfilesRepo(db: Database, file: string): ProfilesRepo {
  const prepare = <T extends unknown[], R = Row>(sql: string): Statement<T, R> => db.prepare<T, R>(sql);
  const stmts = {
    insert: db.prepare(`
      INSERT INTO cache_profiles (model_id, model_hash, scheduler, steps, shift, cfg, width, height, frames, prompts, created_at, json, json_sha256, size_bytes)
      VALUES (@modelId, @modelHash, @scheduler, @steps, @shift, @cfg, @width, @height, @frames, @prompts, @createdAt, @json, @sha, @size)`),
    all: prepare<[]>(`SELECT ${COLUMNS} FROM cache_profiles ORDER BY id DESC`),
    byHash: prepare<[string]>(`SELECT ${COLUMNS} FROM cache_profiles WHERE model_hash = ? ORDER BY id DESC`),
    get: prepare<[number]>(`SELECT ${COLUMNS} FROM cache_profiles WHERE id = ?`),
    json: prepare<[number], { json: string }>('SELECT json FROM cache_profiles WHERE id = ?'),
    delete: db.prepare<[number]>('DELETE FROM cache_profiles WHERE id = ?'),
    candidates: prepare<[string, string, number, number, number, number | null]>(`
      SELECT ${COLUMNS} FROM cache_profiles
      WHERE model_hash = ? AND scheduler = ? AND steps = ? AND width = ? AND height = ? AND frames IS ?
      ORDER BY id DESC`),
  };
  const guarded = <T>(op: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw storeError(op, file, err);
    }
  };

  return {
    insert(p) {
      const k = p.profile.key;
      const promptCount = p.profile.stats.cond?.prompts.length ?? 0;
      const params = {
        modelId: p.modelId, modelHash: k.modelHash, scheduler: k.scheduler, steps: k.steps, shift: k.shift, cfg: k.cfg,
        width: k.width, height: k.height, frames: k.frames ?? null, prompts: promptCount, createdAt: p.createdAt, json: p.json,
        sha: sha256Hex(p.json), size: Buffer.byteLength(p.json, 'utf8'),
      };
      const info = guarded('saving a cache profile', () => stmts.insert.run(params));
      return toSummary({
        id: Number(info.lastInsertRowid), model_id: params.modelId, model_hash: params.modelHash, scheduler: params.scheduler, steps: params.steps,
        shift: params.shift, cfg: params.cfg, width: params.width, height: params.height, frames: params.frames, prompts: params.prompts, created_at: params.createdAt,
        json_sha256: params.sha, size_bytes: params.size,
      });
    },
    list(filter = {}) {
      const rows = guarded('listing cache profiles', () => (filter.modelHash === undefined ? stmts.all.all() : stmts.byHash.all(filter.modelHash)));
      return rows.map(toSummary);
    },
    get(id) {
      const row = guarded('reading a cache profile', () => stmts.get.get(id));
      return row === undefined ? undefined : toSummary(row);
    },
    getJson(id) {
      return guarded('reading a cache profile', () => stmts.json.get(id))?.json;
    },
    delete(id) {
      return guarded('deleting a cache profile', () => stmts.delete.run(id)).changes > 0;
    },
    findMatching(key) {
      const rows = guarded('looking up a cache profile', () => stmts.candidates.all(key.modelHash, key.scheduler, key.steps, key.width, key.height, key.frames ?? null));
      const row = rows.find((r) => close(r.shift, key.shift) && close(r.cfg, key.cfg));
      return row === undefined ? undefined : toSummary(row);
    },
  };
}
