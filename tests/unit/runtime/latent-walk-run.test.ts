/**
 * A latent walk through runGeneration on the tiny fixture: one animated PNG with a frame per
 * step of the walk, whose ends are the stills of its two seeds and prompts, recorded as a clip,
 * and byte-identical when run again.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest, JobStage } from '../../../contract/api';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { decodeApng } from '../../../main/png/apng-reader';
import { decodePng } from '../../../main/png/png-reader';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

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
  return { prompt: 'a red apple', negativePrompt: '', steps: 4, cfg: 5, seed: 11, model: 'tiny', provider: 'cpu', scheduler: 'default', ...overrides };
}

/** RGB of an RGBA frame. */
const rgbOf = (rgba: Uint8Array): Buffer => Buffer.from(rgba.filter((_, i) => i % 4 !== 3));

describe('a latent walk', () => {
  test('makes an APNG of F frames from the still of seed and prompt to the still of toSeed and toPrompt', async () => {
    const progress: { stage: JobStage; step: number; totalSteps: number }[] = [];
    const walk = await runGeneration(request({ frames: 4, fps: 8, walk: { toSeed: 12, toPrompt: 'a green tree' } }), ctx, { onProgress: (p) => progress.push(p) });
    const clip = decodeApng(fs.readFileSync(walk.outputPath));
    expect(clip.animated).toBe(true);
    expect(clip.frames.length).toBe(4);
    expect(clip.frames.map((f) => f.delayMs)).toEqual([125, 125, 125, 125]);
    expect(walk.video).toEqual({ frames: 4, fps: 8 });
    expect(walk.recipe.video).toEqual({ frames: 4, fps: 8, walk: { toSeed: 12, toPrompt: 'a green tree' } });
    expect(db.history.get(walk.id)?.video).toEqual({ frames: 4, fps: 8 });
    expect(progress.filter((p) => p.stage === 'denoise').at(-1)).toEqual({ stage: 'denoise', step: 16, totalSteps: 16 });

    const first = await runGeneration(request(), ctx);
    const last = await runGeneration(request({ seed: 12, prompt: 'a green tree' }), ctx);
    expect(first.video).toBeUndefined();
    expect(rgbOf(clip.frames[0]?.rgba as Uint8Array).equals(Buffer.from(decodePng(fs.readFileSync(first.outputPath)).rgb))).toBe(true);
    expect(rgbOf(clip.frames[3]?.rgba as Uint8Array).equals(Buffer.from(decodePng(fs.readFileSync(last.outputPath)).rgb))).toBe(true);
    expect(rgbOf(clip.frames[1]?.rgba as Uint8Array).equals(rgbOf(clip.frames[0]?.rgba as Uint8Array))).toBe(false);
  });

  test('gives the same bytes for the same seed and recipe', async () => {
    const req = request({ frames: 3, walk: { toSeed: 99 } });
    const a = await runGeneration(req, ctx);
    const b = await runGeneration(req, ctx);
    expect(a.recipe.video).toEqual({ frames: 3, fps: 10, walk: { toSeed: 99, toPrompt: 'a red apple' } });
    expect(fs.readFileSync(a.outputPath).equals(fs.readFileSync(b.outputPath))).toBe(true);
  });

  test('refuses frames for an image model without a walk, naming the way out', async () => {
    await expect(runGeneration(request({ frames: 8 }), ctx)).rejects.toThrow(/tiny is an image model: .*latent walk .* or a video model/);
  });
});
