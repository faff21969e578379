/**
 * Hybrid generation end to end on the bundled pair (`emoji` large, `emoji-small` small, which
 * share their text encoder, VAE and scheduler): exactness at K = N and K = 0 in both orders,
 * multistep history across the switch, per-model caching, accounting, the tiny decoder, and the
 * refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { validateGenerateRequest } from '../../../contract/validate';
import { validateCacheConfig } from '../../../core/cache/cache-config';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { decodePng } from '../../../main/png/png-reader';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';

let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;

beforeAll(() => {
  paths = studioPaths(tempDir('studio-hybrid-'));
  fs.mkdirSync(paths.models, { recursive: true });
  // A byte-identical copy of tiny under another id: a "pair" whose split must not change a pixel.
  fs.cpSync(TINY_DIR, path.join(paths.models, 'tiny-twin'), { recursive: true });
  db = openStudioDb(paths.db);
  ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db, paths, appVersion: 'test', pipelines: new PipelineCache(2) };
});
afterAll(async () => {
  db.close();
  await ctx.pipelines?.clear();
  cleanupTempDirs();
});

const base = (overrides: Partial<GenerateRequest> = {}): GenerateRequest =>
  validateGenerateRequest({ prompt: 'red heart', steps: 20, cfg: 4, seed: 5, model: 'emoji', provider: 'cpu', ...overrides });
const pixels = async (r: GenerateRequest): Promise<Uint8Array> => decodePng(fs.readFileSync((await runGeneration(r, ctx)).outputPath)).rgb;

describe('hybrid runs on emoji + emoji-small', () => {
  test('K = N gives the large-only pixels and K = 0 the small-only pixels, in both orders', async () => {
    const large = await pixels(base());
    const small = await pixels(base({ model: 'emoji-small' }));
    expect(large).not.toEqual(small);
    for (const order of ['large-first', 'small-first'] as const) {
      expect(await pixels(base({ hybrid: { small: 'emoji-small', largeSteps: 20, order, tinyVae: false } }))).toEqual(large);
      expect(await pixels(base({ hybrid: { small: 'emoji-small', largeSteps: 0, order, tinyVae: false } }))).toEqual(small);
    }
    const split = await pixels(base({ hybrid: { small: 'emoji-small', largeSteps: 8, order: 'large-first', tinyVae: false } }));
    expect(split).not.toEqual(large);
    expect(split).not.toEqual(small);
  });

  test('the recipe records where each step ran; the stats count calls and MACs per model', async () => {
    const record = await runGeneration(base({ hybrid: { small: 'emoji-small', largeSteps: 8, order: 'small-first', tinyVae: false } }), ctx);
    const h = record.recipe.hybrid;
    expect(h?.segments.map((s) => [s.from, s.to, s.model, s.modelId])).toEqual([
      [0, 12, 'small', 'emoji-small'],
      [12, 20, 'large', 'emoji'],
    ]);
    expect(h?.segments[1]?.modelHash).toBe(record.recipe.modelHash);
    const stats = record.hybridStats;
    expect(stats).toMatchObject({ large: { calls: 8, macs: 8 * 2 * 30785536 }, small: { calls: 12, macs: 12 * 2 * 8372224 }, shareBasis: 'macs' });
    expect(stats?.largeShare).toBeCloseTo((8 * 30785536) / (8 * 30785536 + 12 * 8372224), 10);
    // The history row keeps them.
    expect(db.history.get(record.id)?.hybridStats).toEqual(stats);
  });

  test('the tiny decoder is recorded as the VAE decoder\'s "tiny" variant and changes the pixels', async () => {
    const plain = await runGeneration(base({ hybrid: { small: 'emoji-small', largeSteps: 8, order: 'large-first', tinyVae: false } }), ctx);
    const tiny = await runGeneration(base({ hybrid: { small: 'emoji-small', largeSteps: 8, order: 'large-first', tinyVae: true } }), ctx);
    expect(tiny.recipe.components?.find((c) => c.role === 'vae_decoder')).toMatchObject({ variant: 'tiny', variantHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(decodePng(fs.readFileSync(tiny.outputPath)).rgb).not.toEqual(decodePng(fs.readFileSync(plain.outputPath)).rgb);
  });

  test("each model keeps its own cache context (FORA counts each model's steps from its first)", async () => {
    const record = await runGeneration(base({ hybrid: { small: 'emoji-small', largeSteps: 9, order: 'large-first', tinyVae: false }, cache: validateCacheConfig({ method: 'fora', interval: 2 }) }), ctx);
    // Large: steps 0..8, computed at its own steps 0, 2, 4, 6, 8; small: steps 9..19, at its own 0, 2, …, 10.
    expect(record.hybridStats?.large.calls).toBe(5);
    expect(record.hybridStats?.small.calls).toBe(6);
    expect(record.cacheStats?.computeSteps.slice(8, 11)).toEqual([true, true, false]);
  });
});

describe('multistep history across the switch', () => {
  test('DPM-Solver++(2M) split between two identical models equals one model, at every K', async () => {
    const req = (overrides: Partial<GenerateRequest>) => base({ model: 'tiny', scheduler: 'dpmpp-2m', steps: 12, ...overrides });
    const whole = await pixels(req({}));
    for (const k of [1, 5, 11]) {
      expect(await pixels(req({ hybrid: { small: 'user/tiny-twin', largeSteps: k, order: 'large-first', tinyVae: false } }))).toEqual(whole);
    }
  });
});

describe('refusals', () => {
  test('an incompatible pair names the rule; K past the steps and a profiled cache are refused', async () => {
    await expect(runGeneration(base({ model: 'tiny', hybrid: { small: 'emoji', largeSteps: 4, order: 'large-first', tinyVae: false } }), ctx)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('rule latent-space'),
    });
    await expect(runGeneration(base({ hybrid: { small: 'emoji-small', largeSteps: 21, order: 'large-first', tinyVae: false } }), ctx)).rejects.toMatchObject({ code: 'INVALID_REQUEST', detail: 'hybrid.largeSteps' });
    await expect(
      runGeneration(base({ hybrid: { small: 'emoji-small', largeSteps: 4, order: 'large-first', tinyVae: false }, cache: { method: 'magcache', threshold: 0.2, maxSkips: 3, warmupRatio: 0.2 } }), ctx),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    await expect(runGeneration(base({ hybrid: { small: 'no-such-model', largeSteps: 4, order: 'large-first', tinyVae: false } }), ctx)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(() => validateGenerateRequest({ ...base(), hybrid: { small: 'emoji-small', largeSteps: -1 } })).toThrow(/hybrid\.largeSteps/);
  });
});
