/**
 * Migration 0002 and the profiles repo on a real SQLite file, and the contract validators of
 * the cache calls.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { validateCallRequest, validateGenerateRequest } from '../../../contract/validate';
import { historyMigration } from '../../../main/store/migrations/0001-history';
import { sha256Hex } from '../../../main/store/profiles-repo';
import { LATEST_SCHEMA_VERSION, openStudioDb } from '../../../main/store/studio-db';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { keyFor, randomRuns, recordRuns } from '../cache/synthetic-trajectories';
import { generation } from '../store/fixtures';

afterAll(cleanupTempDirs);

const profile = recordRuns(randomRuns(2, 4, 4), 5, [1, 2, 2]);
const json = JSON.stringify(profile);

describe('migration 0002 and the profiles repo', () => {
  test('a version-1 database upgrades: old rows read back without cache stats, new rows keep theirs', () => {
    // What the previous release wrote: schema 1 and one generation.
    const file = path.join(tempDir(), 'studio.db');
    const v1 = new Database(file);
    historyMigration.up(v1);
    v1.pragma('user_version = 1');
    const g = generation({ seed: 1 });
    v1.prepare(`INSERT INTO generations (created_at, prompt, negative_prompt, steps, cfg, seed, model_id, model_hash, provider, scheduler, width, height, total_ms, recipe_json, timings_json, output_path)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(g.createdAt, g.recipe.prompt, g.recipe.negativePrompt, g.recipe.steps, g.recipe.cfg, g.recipe.seed, g.recipe.modelId,
      g.recipe.modelHash, g.recipe.provider, g.recipe.scheduler, g.recipe.width, g.recipe.height, g.timings.totalMs, JSON.stringify(g.recipe), JSON.stringify(g.timings), g.outputPath);
    v1.close();
    const old = { id: 1 };
    const db = openStudioDb(file);
    try {
      expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
      expect(db.history.get(old.id)).toMatchObject({ recipe: g.recipe, outputPath: g.outputPath });
      expect(db.history.get(old.id)?.cacheStats).toBeUndefined();
      const stats = { modelCalls: 2, steps: 4, computeSteps: [true, false, true, false], profileId: null };
      const cached = db.history.insert({ ...generation({ seed: 2, cache: { method: 'fora', interval: 2 } }), cacheStats: stats });
      expect(cached.cacheStats).toEqual(stats);
      expect(db.history.get(cached.id)?.cacheStats).toEqual(stats);
      expect(db.history.get(cached.id)?.recipe.cache).toEqual({ method: 'fora', interval: 2 });
    } finally {
      db.close();
    }
  });

  test('insert, get, getJson (verbatim), list by model hash, findMatching newest with float tolerance, delete', () => {
    const db = openStudioDb(path.join(tempDir(), 'studio.db'));
    try {
      const text = `  ${json}\n`;
      const a = db.profiles.insert({ modelId: 'm', profile, json: text, createdAt: '2025-01-01T00:00:00.000Z' });
      const b = db.profiles.insert({ modelId: 'm', profile, json, createdAt: '2025-01-02T00:00:00.000Z' });
      const other = db.profiles.insert({ modelId: 'n', profile: { ...profile, key: { ...profile.key, modelHash: 'other' } }, json, createdAt: '2025-01-03T00:00:00.000Z' });
      expect(a).toMatchObject({ modelHash: 'abc123', scheduler: 'FlowMatchEulerDiscreteScheduler', steps: 4, shift: 3, cfg: 5, width: 32, height: 32, prompts: 2, sizeBytes: Buffer.byteLength(text) });
      expect(a.sha256).toBe(sha256Hex(text));
      expect(db.profiles.getJson(a.id)).toBe(text);
      expect(db.profiles.get(b.id)).toEqual(b);
      expect(db.profiles.list().map((p) => p.id)).toEqual([other.id, b.id, a.id]);
      expect(db.profiles.list({ modelHash: 'abc123' }).map((p) => p.id)).toEqual([b.id, a.id]);
      const key = keyFor(4, 5);
      expect(db.profiles.findMatching(key)?.id).toBe(b.id);
      expect(db.profiles.findMatching({ ...key, cfg: 5 + 1e-12 })?.id).toBe(b.id);
      for (const miss of [{ cfg: 5.5 }, { steps: 5 }, { shift: 1 }, { width: 64 }, { scheduler: 'DDIMScheduler' }, { modelHash: 'x' }]) {
        expect(db.profiles.findMatching({ ...key, ...miss }), JSON.stringify(miss)).toBeUndefined();
      }
      expect(db.profiles.delete(b.id)).toBe(true);
      expect(db.profiles.findMatching(key)?.id).toBe(a.id);
      expect(db.profiles.get(b.id)).toBeUndefined();
    } finally {
      db.close();
    }
  });

  test('a database file from a newer app is still refused (schema version above the latest)', () => {
    const file = path.join(tempDir(), 'studio.db');
    openStudioDb(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openStudioDb(file)).toThrow(new RegExp(`schema ${LATEST_SCHEMA_VERSION + 1}; this version knows up to ${LATEST_SCHEMA_VERSION}`));
    expect(fs.existsSync(file)).toBe(true);
  });
});

function invalid(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('INVALID_REQUEST');
    return err as StudioError;
  }
  throw new Error('expected INVALID_REQUEST');
}

describe('validators of the cache calls', () => {
  const gen = { prompt: 'p', steps: 10, cfg: 5, seed: 1, model: 'tiny' };

  test('generate.start: a cache config is validated with defaults filled; absent stays absent', () => {
    expect(validateGenerateRequest(gen).cache).toBeUndefined();
    expect(validateGenerateRequest({ ...gen, cache: { method: 'easycache' } }).cache).toEqual({ method: 'easycache', threshold: 0.1, warmupRatio: 0.2 });
    const err = invalid(() => validateGenerateRequest({ ...gen, cache: { method: 'fora', interval: 1.5 } }));
    expect(err.detail).toBe('cache');
    expect(err.message).toBe('cache: fora: "interval" must be an integer in [1, 100], got 1.5');
    expect(invalid(() => validateGenerateRequest({ ...gen, cache: 'fora' })).message).toBe('cache: cache config must be an object with a "method"');
  });

  test('profiles.start: prompts 1..64 non-blank, steps ≥ 2, seeds that fit', () => {
    const ok = { model: 'tiny', steps: 6, cfg: 5, prompts: ['a', 'b'], seed: 3 };
    expect(validateCallRequest('profiles.start', ok)).toEqual({ ...ok, scheduler: 'default', provider: 'auto' });
    expect(invalid(() => validateCallRequest('profiles.start', { ...ok, steps: 1 })).message).toBe('steps must be at least 2 for a calibration profile (got 1)');
    expect(invalid(() => validateCallRequest('profiles.start', { ...ok, prompts: [] })).detail).toBe('prompts');
    expect(invalid(() => validateCallRequest('profiles.start', { ...ok, prompts: ['a', ' '] })).message).toBe('prompts[1] must not be empty');
    expect(invalid(() => validateCallRequest('profiles.start', { ...ok, prompts: new Array(65).fill('x') })).message).toMatch(/1 to 64 prompts \(got 65\)/);
    expect(invalid(() => validateCallRequest('profiles.start', { ...ok, seed: 0xffffffff })).detail).toBe('seed');
  });

  test('cache.plan, profiles.list/export/import/delete', () => {
    expect(validateCallRequest('cache.plan', { model: 'tiny', steps: 6, cfg: 5, cache: { method: 'fora' } })).toEqual({ model: 'tiny', steps: 6, cfg: 5, scheduler: 'default', cache: { method: 'fora', interval: 3 } });
    expect(invalid(() => validateCallRequest('cache.plan', { model: 'tiny', steps: 6, cfg: 5 })).detail).toBe('cache');
    expect(validateCallRequest('profiles.list', undefined)).toEqual({});
    expect(validateCallRequest('profiles.list', { model: 'tiny' })).toEqual({ model: 'tiny' });
    expect(invalid(() => validateCallRequest('profiles.export', { id: 0 })).detail).toBe('id');
    expect(invalid(() => validateCallRequest('profiles.delete', { id: 'x' })).detail).toBe('id');
    expect(invalid(() => validateCallRequest('profiles.import', { json: '' })).detail).toBe('json');
    expect(validateCallRequest('profiles.import', { json })).toEqual({ json });
  });
});
