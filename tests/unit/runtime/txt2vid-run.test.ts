/**
 * A video model through the registry and runGeneration: listed as kind 'video' with its range,
 * a plain request gets its default clip, frames outside its range and a walk are refused, and
 * the clip (one APNG, one VAE decode per frame) is byte-identical when run again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { hybridPartners } from '../../../main/hybrid/hybrid-calls';
import { pairingProblem } from '../../../main/pipeline/hybrid-pair';
import { decodeApng } from '../../../main/png/apng-reader';
import { checkPipelineLayout } from '../../../main/runtime/pipeline-layout';
import { txt2img } from '../../../main/pipeline/txt2img';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';
import { videoFixture } from '../../helpers/video-fixture';

const VIDEO = { framesMin: 2, framesMax: 6, framesDefault: 4, fpsDefault: 8 };
let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;
let registry: ModelRegistry;
const pipelines = new PipelineCache(1);

beforeAll(() => {
  paths = studioPaths(tempDir('studio-home-'));
  fs.mkdirSync(paths.home, { recursive: true });
  const fixture = videoFixture('tiny-video', VIDEO);
  db = openStudioDb(paths.db);
  registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: path.dirname(fixture) });
  ctx = { registry, db, paths, appVersion: '9.9.9-test', pipelines };
});
afterAll(async () => {
  db.close();
  await pipelines.clear();
  cleanupTempDirs();
});

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return { prompt: 'a red apple', negativePrompt: '', steps: 3, cfg: 3, seed: 5, model: 'tiny-video', provider: 'cpu', scheduler: 'default', ...overrides };
}

describe('a video model', () => {
  test('is listed as a video model with its frame range and defaults; image models as images', () => {
    const models = registry.list();
    expect(models.find((m) => m.id === 'tiny-video')).toMatchObject({ kind: 'video', video: VIDEO, width: 64, height: 64 });
    expect(models.find((m) => m.id === 'tiny')).toMatchObject({ kind: 'image' });
    expect(models.find((m) => m.id === 'tiny')?.video).toBeUndefined();
  });

  test('makes its default clip for a request without frames, one frame per latent frame', async () => {
    const record = await runGeneration(request(), ctx);
    expect(record.video).toEqual({ frames: 4, fps: 8 });
    expect(record.recipe.video).toEqual({ frames: 4, fps: 8 });
    const clip = decodeApng(fs.readFileSync(record.outputPath));
    expect(clip.frames.length).toBe(4);
    expect([clip.width, clip.height]).toEqual([64, 64]);
    expect(clip.frames.map((f) => f.delayMs)).toEqual([125, 125, 125, 125]);
    // Each frame has noise of its own, so no two frames are the same picture.
    expect(Buffer.from(clip.frames[0]?.rgba as Uint8Array).equals(Buffer.from(clip.frames[1]?.rgba as Uint8Array))).toBe(false);
  });

  test('gives the same bytes for the same seed and recipe, and other bytes for another seed', async () => {
    const a = await runGeneration(request({ frames: 6, fps: 12 }), ctx);
    const b = await runGeneration(request({ frames: 6, fps: 12 }), ctx);
    const c = await runGeneration(request({ frames: 6, fps: 12, seed: 6 }), ctx);
    expect(decodeApng(fs.readFileSync(a.outputPath)).frames.length).toBe(6);
    expect(fs.readFileSync(a.outputPath).equals(fs.readFileSync(b.outputPath))).toBe(true);
    expect(fs.readFileSync(a.outputPath).equals(fs.readFileSync(c.outputPath))).toBe(false);
  });

  test('is no hybrid partner of an image model with the same latent size', () => {
    const video = registry.resolve('tiny-video');
    const image = registry.resolve('tiny');
    const problem = pairingProblem({ id: image.id, layout: checkPipelineLayout(image.dir) }, { id: video.id, layout: checkPipelineLayout(video.dir) }, 10, 'default');
    expect(problem).toBe('tiny and tiny-video cannot share a run (rule latent-space): tiny-video is a video model, whose latents have a frame axis, and tiny an image model.');
  });

  test("is left out of an image model's hybrid partner list, and has no image partners itself", async () => {
    const forImage = await hybridPartners({ model: 'tiny', steps: 10, scheduler: 'default' }, registry);
    expect([...forImage.partners, ...forImage.refused].map((m) => m.id)).not.toContain('tiny-video');
    const forVideo = await hybridPartners({ model: 'tiny-video', steps: 10, scheduler: 'default' }, registry);
    const kinds = [...forVideo.partners, ...forVideo.refused].map((m) => registry.resolve(m.id).kind);
    expect(kinds.filter((k) => k !== 'video')).toEqual([]);
  });

  test('refuses to make a still image (as evaluation, calibration and benchmarks ask)', async () => {
    const { pipeline } = await pipelines.get(registry.resolve('tiny-video').dir, 'cpu', { hashStore: db.folderHashes, variantsRoot: paths.variants });
    const params = { prompt: 'a red apple', negativePrompt: '', steps: 3, cfg: 3, seed: 5, scheduler: 'default' as const };
    await expect(txt2img(pipeline, params)).rejects.toThrow(/holds a video model: it makes clips \(generate with frames\), not still images/);
  });

  test('refuses frames outside its range and a latent walk', async () => {
    await expect(runGeneration(request({ frames: 7 }), ctx)).rejects.toThrow('frames must be between 2 and 6 for tiny-video (got 7).');
    await expect(runGeneration(request({ frames: 4, walk: { toSeed: 1 } }), ctx)).rejects.toThrow(/tiny-video is a video model: .* takes no latent walk/);
  });
});

describe('a malformed video declaration', () => {
  test('keeps the model out of the list, naming the file and the rule', () => {
    const bad = videoFixture('bad-video', { framesMin: 8, framesMax: 4, framesDefault: 6, fpsDefault: 10 });
    const problems = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: path.dirname(bad) }).problems();
    expect(problems).toEqual([{ dir: bad, code: 'MODEL_LAYOUT', message: `${path.join(bad, 'studio.json')}: video: framesMin ≤ framesDefault ≤ framesMax must hold` }]);
  });
});
