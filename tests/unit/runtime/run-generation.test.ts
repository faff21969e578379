import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest, Recipe } from '../../../contract/api';
import { StudioError } from '../../../contract/errors';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { txt2img } from '../../../main/pipeline/txt2img';
import { decodePng, readPngText } from '../../../main/png/png-reader';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';

let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;
const pipelines = new PipelineCache(1);

beforeAll(() => {
  paths = studioPaths(tempDir('studio-home-'));
  fs.mkdirSync(paths.home, { recursive: true });
  db = openStudioDb(paths.db);
  ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db, paths, appVersion: '9.9.9-test', pipelines };
});
afterAll(async () => {
  db.close();
  await pipelines.clear();
  cleanupTempDirs();
});

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return { prompt: 'a red apple on a table', negativePrompt: 'blurry', steps: 8, cfg: 5, seed: 1234, model: 'tiny', provider: 'cpu', scheduler: 'default', ...overrides };
}

function pixels(file: string): Uint8Array {
  return decodePng(fs.readFileSync(file)).rgb;
}

describe('runGeneration on the tiny fixture', () => {
  test('writes a PNG with its recipe and a history row', async () => {
    const record = await runGeneration(request(), ctx);
    expect(record.id).toBeGreaterThan(0);
    expect(record.outputPath.startsWith(paths.outputs)).toBe(true);
    expect(record.outputPath).toMatch(/\d{4}-\d\d-\d\d[\\/]\d{8}-\d{6}-\d{3}-1234\.png$/);
    const r = record.recipe;
    expect(r).toMatchObject({ modelId: 'tiny', provider: 'cpu', providerRequested: 'cpu', scheduler: 'DDIMScheduler', width: 64, height: 64, appVersion: '9.9.9-test', steps: 8, cfg: 5, seed: 1234 });
    expect(r.modelHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.noise).toMatch(/philox/);
    expect(r.schedulerConfig._class_name).toBe('DDIMScheduler');
    const t = record.timings;
    expect(t.modelMs).toBeGreaterThan(0);
    expect(t.modelMs).toBeLessThanOrEqual(t.denoiseMs);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.loadMs + t.encodeMs + t.denoiseMs + t.decodeMs);

    const png = fs.readFileSync(record.outputPath);
    const text = readPngText(png);
    expect(JSON.parse(text['studio-recipe'] ?? '') as Recipe).toEqual(r);
    expect(text.parameters).toBe(
      `a red apple on a table\nNegative prompt: blurry\nSteps: 8, Sampler: DDIM, CFG scale: 5, Seed: 1234, Size: 64x64, Model hash: ${r.modelHash.slice(0, 10)}, Model: tiny`,
    );
    expect(decodePng(png).rgb.length).toBe(64 * 64 * 3);
    expect(db.history.get(record.id)?.outputPath).toBe(record.outputPath);
  });

  test('the same seed gives identical pixels; another seed does not', async () => {
    const a = await runGeneration(request({ seed: 77 }), ctx);
    const b = await runGeneration(request({ seed: 77 }), ctx);
    const c = await runGeneration(request({ seed: 78 }), ctx);
    expect(a.outputPath).not.toBe(b.outputPath);
    expect(Buffer.from(pixels(b.outputPath)).equals(Buffer.from(pixels(a.outputPath)))).toBe(true);
    expect(Buffer.from(pixels(c.outputPath)).equals(Buffer.from(pixels(a.outputPath)))).toBe(false);
  });

  test('the prompt and the guidance scale change the image; cfg 1 runs unguided', async () => {
    const base = pixels((await runGeneration(request({ seed: 5 }), ctx)).outputPath);
    const otherPrompt = pixels((await runGeneration(request({ seed: 5, prompt: 'a green tree' }), ctx)).outputPath);
    const unguided = pixels((await runGeneration(request({ seed: 5, cfg: 1 }), ctx)).outputPath);
    expect(Buffer.from(otherPrompt).equals(Buffer.from(base))).toBe(false);
    expect(Buffer.from(unguided).equals(Buffer.from(base))).toBe(false);
  });

  test('a scheduler override is recorded with its effective config', async () => {
    const record = await runGeneration(request({ scheduler: 'euler' }), ctx);
    expect(record.recipe.scheduler).toBe('EulerDiscreteScheduler');
    expect(record.recipe.schedulerConfig._source_class_name).toBe('DDIMScheduler');
  });

  test('progress goes load → encode → denoise 0..N → decode → save', async () => {
    const seen: string[] = [];
    await runGeneration(request({ steps: 3 }), ctx, { onProgress: (p) => seen.push(`${p.stage}:${p.step}/${p.totalSteps}`) });
    expect(seen).toEqual(['load:0/3', 'encode:0/3', 'denoise:0/3', 'denoise:1/3', 'denoise:2/3', 'denoise:3/3', 'decode:3/3', 'save:3/3']);
  });
});

describe('failures leave nothing behind', () => {
  function state(): { rows: number; files: string[] } {
    return { rows: db.history.list({ limit: 500 }).length, files: listFilesDeep(paths.outputs) };
  }

  test('a prompt too long for the text encoder → PROMPT_TOO_LONG with the counts', async () => {
    const before = state();
    const err = await runGeneration(request({ prompt: 'apple '.repeat(40) }), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('PROMPT_TOO_LONG');
    expect((err as StudioError).message).toBe('Prompt is 42 tokens; this model accepts at most 32.');
    expect(state()).toEqual(before);
  });

  test('an unknown model → MODEL_NOT_FOUND listing the known ids', async () => {
    await expect(runGeneration(request({ model: 'nope' }), ctx)).rejects.toThrow(/No model "nope".*\(.*tiny.*\)/);
  });

  test('cancelling mid-run → CANCELLED, no history row, no PNG, no temp file', async () => {
    const before = state();
    const controller = new AbortController();
    const err = await runGeneration(request({ steps: 50 }), ctx, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === 'denoise' && p.step === 10) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('CANCELLED');
    expect(state()).toEqual(before);
  });

  test('an already-aborted signal stops before loading', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runGeneration(request(), ctx, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

test('txt2img reports per-step times (fixture speed, for the record)', async () => {
  const { pipeline } = await pipelines.get(BUNDLED_PIPELINES + '/tiny', 'cpu');
  const result = await txt2img(pipeline, { prompt: 'a cat', negativePrompt: '', steps: 20, cfg: 5, seed: 3, scheduler: 'default' });
  expect(result.timings.stepMs).toHaveLength(20);
  const sorted = [...result.timings.stepMs].sort((a, b) => a - b);
  console.log(`tiny fixture, cpu, cfg 5 (batch 2): median ${sorted[10]?.toFixed(2)} ms/step, model ${(result.timings.modelMs / 20).toFixed(2)} ms/step`);
  expect(result.rgb.length).toBe(64 * 64 * 3);
});
