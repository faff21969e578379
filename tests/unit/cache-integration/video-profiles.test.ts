/**
 * Calibration profiles of a video model on the tiny video fixture: a profile is recorded for one
 * clip length, a cached clip of that length uses it, and a clip of another length is refused
 * with the profile command for its own length — never run on the wrong profile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { defaultCacheConfig, parseCacheProfile, type CacheConfig } from '../../../core/cache';
import { runProfiling } from '../../../main/cache/run-profiling';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { videoFixture } from '../../helpers/video-fixture';

let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;
const pipelines = new PipelineCache(1);

beforeAll(() => {
  paths = studioPaths(tempDir('studio-home-'));
  fs.mkdirSync(paths.home, { recursive: true });
  const fixture = videoFixture('tiny-video', { framesMin: 2, framesMax: 6, framesDefault: 4, fpsDefault: 8 });
  db = openStudioDb(paths.db);
  ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: path.dirname(fixture) }), db, paths, appVersion: '9.9.9-test', pipelines };
});
afterAll(async () => {
  db.close();
  await pipelines.clear();
  cleanupTempDirs();
});

const erta: CacheConfig = { ...defaultCacheConfig('ertacache'), lambda: 0.5, timeAdjustment: false } as CacheConfig;
const request = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  prompt: 'a red apple', negativePrompt: '', steps: 6, cfg: 3, seed: 5, model: 'tiny-video', provider: 'cpu', scheduler: 'default', ...over,
});

describe('a video model\'s calibration profile', () => {
  test('is recorded for its clip length and used only for clips of that length', async () => {
    const summary = await runProfiling({ model: 'tiny-video', steps: 6, cfg: 3, scheduler: 'default', prompts: ['a cat', 'a dog'], provider: 'cpu', seed: 10, frames: 3 }, { registry: ctx.registry, db, pipelines });
    expect(summary.frames).toBe(3);
    const profile = parseCacheProfile(db.profiles.getJson(summary.id) as string);
    expect(profile.key.frames).toBe(3);
    // The [C, F, h, w] latent is recorded as [C, F·h, w].
    expect(profile.latentShape[1]).toBe(3 * (profile.latentShape[2] as number));

    const cached = await runGeneration(request({ frames: 3, cache: erta }), ctx);
    expect(cached.recipe.cacheProfileHash).toBe(summary.sha256);
    expect(cached.cacheStats?.modelCalls).toBeLessThanOrEqual(6);

    // The default clip (4 frames) has no profile: refused, with the command for 4 frames.
    await expect(runGeneration(request({ cache: erta }), ctx)).rejects.toThrow(/4 frames; the stored profiles of model tiny-video were made for .*3 frames.*studio profile --model tiny-video --steps 6 --cfg 3 --frames 4/);
  });

  test('refuses frames outside the model\'s range, and frames for an image model', async () => {
    const base = { steps: 6, cfg: 3, scheduler: 'default' as const, prompts: ['a cat', 'a dog'], provider: 'cpu' as const, seed: 10 };
    await expect(runProfiling({ ...base, model: 'tiny-video', frames: 7 }, { registry: ctx.registry, db, pipelines })).rejects.toThrow('frames must be between 2 and 6 for tiny-video (got 7).');
    await expect(runProfiling({ ...base, model: 'tiny', frames: 4 }, { registry: ctx.registry, db, pipelines })).rejects.toThrow(/tiny is an image model: its profile has no frames/);
  });
});
