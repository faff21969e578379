/**
 * Calibration profiles end to end on the tiny fixture: recording (runProfiling) into a real
 * SQLite file, lookup for a run, export/import, plans, refusal of mismatches, cancel.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import type { ProfileStartRequest } from '../../../contract/cache';
import { StudioError } from '../../../contract/errors';
import { defaultCacheConfig, parseCacheProfile, type CacheConfig } from '../../../core/cache';
import { planCache } from '../../../main/cache/cache-plan';
import { deleteProfile, exportProfile, importProfile, listProfiles } from '../../../main/cache/profile-transfer';
import { runProfiling } from '../../../main/cache/run-profiling';
import { runGeneration } from '../../../main/generation/run-generation';
import { openStudioDb } from '../../../main/store/studio-db';
import { cleanupTempDirs } from '../../helpers/runtime-fixture';
import { openFixture, type StudioFixture } from './integration-fixture';

let f: StudioFixture;
beforeAll(() => {
  f = openFixture();
});
afterAll(async () => {
  await f.close();
  cleanupTempDirs();
});

const profileRequest = (over: Partial<ProfileStartRequest> = {}): ProfileStartRequest => ({
  model: 'tiny', steps: 6, cfg: 5, scheduler: 'default', prompts: ['a cat', 'a dog', 'a fish'], provider: 'cpu', seed: 10, ...over,
});
const generateRequest = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  prompt: 'a red apple', negativePrompt: '', steps: 6, cfg: 5, seed: 3, model: 'tiny', provider: 'cpu', scheduler: 'default', ...over,
});
/** ERTACache without time adjustment (the tiny fixture's scheduler is DDIM). */
const erta = (lambda: number): CacheConfig => ({ ...defaultCacheConfig('ertacache'), lambda, timeAdjustment: false }) as CacheConfig;
const ctx = () => ({ registry: f.registry, db: f.db, pipelines: f.pipelines });
const genCtx = () => ({ ...ctx(), paths: f.paths, appVersion: 'test' });

async function rejection(run: Promise<unknown>): Promise<StudioError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

describe('profiles', () => {
  test('profiling reports progress over all prompts and stores a parseable profile', async () => {
    const seen: string[] = [];
    const summary = await runProfiling(profileRequest(), ctx(), { onProgress: (p) => seen.push(`${p.stage}:${p.step}/${p.totalSteps}`) });
    expect(summary).toMatchObject({ modelId: 'tiny', scheduler: 'DDIMScheduler', steps: 6, shift: 1, cfg: 5, width: 64, height: 64, prompts: 3 });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(seen).toContain('denoise:18/18');
    // Each prompt starts where the previous one ended: steps count over the whole run.
    const steps = seen.filter((s) => s.startsWith('denoise:')).map((s) => Number(s.slice(8).split('/')[0]));
    expect(steps.every((v, i) => i === 0 || v >= (steps[i - 1] as number))).toBe(true);
    expect([...new Set(steps)]).toEqual([...Array(19).keys()]);
    const profile = parseCacheProfile(exportProfile(f.db, summary.id));
    expect(profile.key).toMatchObject({ steps: 6, cfg: 5, scheduler: 'DDIMScheduler' });
    expect(profile.stats.cond?.prompts).toHaveLength(3);
    expect(profile.stats.uncond?.prompts).toHaveLength(3);
  });

  test('a cached generation uses the newest matching profile and records config, profile hash and stats', async () => {
    const older = await runProfiling(profileRequest({ prompts: ['a bee'] }), ctx());
    const newest = await runProfiling(profileRequest({ prompts: ['a tree', 'a house'] }), ctx());
    expect(newest.id).toBeGreaterThan(older.id);
    const record = await runGeneration(generateRequest({ cache: { method: 'magcache', threshold: 3, maxSkips: 2, warmupRatio: 0 } }), genCtx());
    expect(record.recipe.cache).toEqual({ method: 'magcache', threshold: 3, maxSkips: 2, warmupRatio: 0 });
    expect(record.recipe.cacheProfileHash).toBe(newest.sha256);
    expect(record.cacheStats).toMatchObject({ steps: 6, profileId: newest.id });
    expect(record.cacheStats?.modelCalls).toBe(record.cacheStats?.computeSteps.filter(Boolean).length);
    expect(record.cacheStats?.modelCalls).toBeLessThan(6);
    // The history row carries the same stats after a reopen of the database file.
    const reopened = openStudioDb(f.db.file);
    try {
      expect(reopened.history.get(record.id)?.cacheStats).toEqual(record.cacheStats);
    } finally {
      reopened.close();
    }
    const uncached = await runGeneration(generateRequest(), genCtx());
    expect(uncached.cacheStats).toBeUndefined();
    expect(uncached.recipe.cache).toBeUndefined();
    const none = await runGeneration(generateRequest({ cache: { method: 'none' } }), genCtx());
    expect(none.cacheStats).toBeUndefined();
    // Recorded as an uncached run; only the request as sent still says what was asked for.
    const { request: noneRequest, ...noneRecipe } = none.recipe;
    const { request: _uncachedRequest, ...uncachedRecipe } = uncached.recipe;
    expect(noneRecipe).toEqual(uncachedRecipe);
    expect(noneRequest?.cache).toEqual({ method: 'none' });
  });

  test('no profile for these steps or this CFG: refused with the reason and the command to record one', async () => {
    for (const over of [{ steps: 7 }, { cfg: 4 }]) {
      const err = await rejection(runGeneration(generateRequest({ ...over, cache: erta(0.5) }), genCtx()));
      expect(err).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
      expect(err.message).toContain('ertacache needs a calibration profile for DDIMScheduler');
      expect(err.message).toContain('the stored profiles of model tiny were made for DDIMScheduler, 6 steps, shift 1, CFG 5, 64×64');
      expect(err.message).toMatch(new RegExp(`studio profile --model tiny --steps ${over.steps ?? 6} --cfg ${over.cfg ?? 5}$`));
    }
    // Methods without a profile run anyway.
    const fora = await runGeneration(generateRequest({ steps: 7, cache: { method: 'fora', interval: 2 } }), genCtx());
    expect(fora.cacheStats?.modelCalls).toBe(4);
  });

  test('export → import round trip: same bytes, same key, same plan', async () => {
    const [stored] = await listProfiles(f.db, f.registry, 'tiny');
    if (stored === undefined) throw new Error('no profile stored');
    const json = exportProfile(f.db, stored.id);
    const target = { model: 'tiny', steps: 6, cfg: 5, scheduler: 'default' } as const;
    const cache = erta(0.4);
    const before = await planCache({ ...target, cache }, ctx());
    expect(before.profile?.id).toBe(stored.id);
    expect(before.plan?.exact).toBe(true);

    // Into a fresh database (another machine), then plan there.
    const other = openFixture();
    try {
      const imported = await importProfile(other.db, other.registry, json);
      expect(imported).toMatchObject({ modelId: 'tiny', modelHash: stored.modelHash, steps: 6, cfg: 5, sha256: stored.sha256, sizeBytes: stored.sizeBytes });
      expect(exportProfile(other.db, imported.id)).toBe(json);
      const after = await planCache({ ...target, cache }, { registry: other.registry, db: other.db });
      expect(after.plan).toEqual(before.plan);
      expect(after.profile?.id).toBe(imported.id);
    } finally {
      await other.close();
    }
  });

  test('cache.plan without a matching profile answers with the problem, not an error', async () => {
    const plan = await planCache({ model: 'tiny', steps: 9, cfg: 5, scheduler: 'default', cache: defaultCacheConfig('magcache') }, ctx());
    expect(plan.plan).toBeNull();
    // cache.plan is the app's call: the problem points to the panel's button, not to a CLI command.
    expect(plan.problem).toMatch(/magcache needs a calibration profile .* 9 steps.*Record one with "Profile this model" in the Speed-up panel/);
    expect(plan.problem).not.toMatch(/studio profile/);
    expect(plan.problemFix).toBe('profile');
    const fora = await planCache({ model: 'tiny', steps: 9, cfg: 5, scheduler: 'default', cache: { method: 'fora', interval: 3 } }, ctx());
    expect(fora.plan?.modelCalls).toBe(3);
    expect(fora.problem).toBeNull();
    const time = await planCache({ model: 'tiny', steps: 6, cfg: 5, scheduler: 'default', cache: { ...defaultCacheConfig('ertacache'), timeAdjustment: true } as CacheConfig }, ctx());
    expect(time.problem).toMatch(/time adjustment needs the flow-match Euler or Euler scheduler, not DDIMScheduler/);
    expect(time.problemFix).toBe('settings');
    expect(fora.problemFix).toBeNull();
  });

  test('corrupt or foreign profile JSON is refused with a clear error and nothing is stored', async () => {
    const count = f.db.profiles.list().length;
    const truncated = exportProfile(f.db, (f.db.profiles.list()[0] as { id: number }).id).slice(0, 500);
    for (const [json, detail] of [
      [truncated, /not valid JSON/],
      ['{"version": 99}', /version is 99/],
      ['[1, 2, 3]', /cache profile/],
    ] as const) {
      const err = await rejection(importProfile(f.db, f.registry, json));
      expect(err).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(err.message).toMatch(/^The profile file is not valid: /);
      expect(err.message).toMatch(detail);
    }
    expect(f.db.profiles.list()).toHaveLength(count);
  });

  test('cancelling profiling stores nothing', async () => {
    const count = f.db.profiles.list().length;
    const controller = new AbortController();
    const err = await rejection(runProfiling(profileRequest({ prompts: ['a cat', 'a dog', 'a fish', 'a bee'] }), ctx(), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'denoise' && p.step === 9) controller.abort();
      },
    }));
    expect(err.code).toBe('CANCELLED');
    expect(f.db.profiles.list()).toHaveLength(count);
  });

  test('delete removes a profile; a second delete reports false; export of it is NOT_FOUND', async () => {
    const summary = await runProfiling(profileRequest({ prompts: ['a lamp'] }), ctx());
    expect(deleteProfile(f.db, summary.id)).toBe(true);
    expect(deleteProfile(f.db, summary.id)).toBe(false);
    expect(() => exportProfile(f.db, summary.id)).toThrow(/There is no cache profile/);
  });
});
