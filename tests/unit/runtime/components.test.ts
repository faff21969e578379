/**
 * Component identity and variants: components are named by the hash of their own folder and
 * shared across pipelines; hashes persist in SQLite; a variant loads from the data folder without
 * changing any hash, and the recipe records what ran.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { decodePng } from '../../../main/png/png-reader';
import { identifyComponents } from '../../../main/runtime/components';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { clearFolderHashCache, folderHash, type HashStore } from '../../../main/runtime/model-hash';
import { checkPipelineLayout } from '../../../main/runtime/pipeline-layout';
import { installVariant, listVariants, resolveVariant } from '../../../main/runtime/variants';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';

let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;
const pipelines = new PipelineCache(2);

beforeAll(() => {
  paths = studioPaths(tempDir('studio-components-'));
  fs.mkdirSync(paths.home, { recursive: true });
  db = openStudioDb(paths.db);
  ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db, paths, appVersion: 'test', pipelines };
});
afterAll(async () => {
  db.close();
  await pipelines.clear();
  cleanupTempDirs();
});

const request = (overrides: Partial<GenerateRequest> = {}): GenerateRequest => ({ prompt: 'red heart', negativePrompt: '', steps: 6, cfg: 4, seed: 11, model: 'tiny', provider: 'cpu', scheduler: 'euler', ...overrides });

describe('component identity', () => {
  test('emoji and emoji-small share their text encoder, tokenizer, VAE decoder and scheduler, not their denoiser', async () => {
    const [large, small] = await Promise.all(['emoji', 'emoji-small'].map((m) => identifyComponents(checkPipelineLayout(path.join(BUNDLED_PIPELINES, m)))));
    const shared = (large ?? []).filter((c, i) => c.hash === small?.[i]?.hash).map((c) => c.role);
    expect(shared).toEqual(['text_encoder', 'tokenizer', 'vae_decoder', 'scheduler']);
    expect(large?.every((c) => /^[0-9a-f]{64}$/.test(c.hash))).toBe(true);
  });

  test('a pair loaded together opens each shared component once', async () => {
    const a = (await pipelines.get(path.join(BUNDLED_PIPELINES, 'emoji'), 'cpu')).pipeline;
    const b = (await pipelines.get(path.join(BUNDLED_PIPELINES, 'emoji-small'), 'cpu')).pipeline;
    expect(a.textEncoder.runner).toBe(b.textEncoder.runner);
    expect(a.vaeDecoder.runner).toBe(b.vaeDecoder.runner);
    expect(a.denoiser.runner).not.toBe(b.denoiser.runner);
  });

  test('hashes persist in the store: a cold process takes the stored hash instead of rehashing', async () => {
    const dir = path.join(TINY_DIR, 'text_encoder');
    clearFolderHashCache();
    const real = await folderHash(dir, db.folderHashes);
    clearFolderHashCache();
    // A store that answers with a marker proves the files were not read again.
    const marked: HashStore = { lookup: (d, listing) => (db.folderHashes.lookup(d, listing) === real ? 'f'.repeat(64) : undefined), remember: () => undefined };
    expect(await folderHash(dir, marked)).toBe('f'.repeat(64));
    clearFolderHashCache();
    // A changed listing (another mtime) misses the stored row and rehashes.
    const copy = path.join(tempDir(), 'text_encoder');
    fs.cpSync(dir, copy, { recursive: true });
    expect(await folderHash(copy, db.folderHashes)).toBe(real);
    expect(db.folderHashes.lookup(path.resolve(copy), 'not-the-listing')).toBeUndefined();
  });
});

describe('variants', () => {
  test('a denoiser variant runs from the data folder; the recipe names it and no hash changes', async () => {
    const plain = await runGeneration(request(), ctx);
    const [denoiser] = (await identifyComponents(checkPipelineLayout(TINY_DIR))).filter((c) => c.role === 'denoiser');
    const source = path.join(TINY_DIR, 'transformer');
    // The same graph re-saved as a variant: a stand-in with known output, so the pixels must match.
    installVariant(paths.variants, denoiser!, 'same-weights', {
      model: fs.readFileSync(path.join(source, 'model.onnx')),
      extra: new Map([['model.onnx_data', fs.readFileSync(path.join(source, 'model.onnx_data'))]]),
    });
    expect(listVariants(paths.variants, denoiser!.hash).map((v) => v.name)).toEqual(['same-weights']);
    const variant = await runGeneration(request({ denoiserVariant: 'same-weights' }), ctx);
    expect(decodePng(fs.readFileSync(variant.outputPath)).rgb).toEqual(decodePng(fs.readFileSync(plain.outputPath)).rgb);
    expect(variant.recipe.modelHash).toBe(plain.recipe.modelHash);
    const d = variant.recipe.components?.find((c) => c.role === 'denoiser');
    expect(d).toMatchObject({ hash: denoiser!.hash, variant: 'same-weights', variantHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(plain.recipe.components?.map((c) => c.variant)).toEqual(['fp32', 'fp32', 'fp32', 'fp32', 'fp32']);
    expect(variant.recipe.request).toMatchObject({ denoiserVariant: 'same-weights', scheduler: 'euler' });
  });

  test('an unknown variant, a bad name and a stopped install each fail clearly and leave nothing', async () => {
    await expect(runGeneration(request({ denoiserVariant: 'int8-w8a8' }), ctx)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no variant "int8-w8a8"') });
    const [denoiser] = (await identifyComponents(checkPipelineLayout(TINY_DIR))).filter((c) => c.role === 'denoiser');
    expect(() => resolveVariant(paths.variants, denoiser!, '../escape')).toThrow(/not a variant name/);
    expect(installVariant(paths.variants, denoiser!, 'stopped', { model: new Uint8Array([1, 2, 3]) }, {}, () => true)).toBeUndefined();
    expect(fs.readdirSync(path.join(paths.variants, denoiser!.hash))).toEqual(['same-weights']);
  });
});

describe('recipes', () => {
  test('keep the request as sent, so a rerun restores every choice, the scheduler included', async () => {
    const sent = request({ scheduler: 'dpmpp-2m', seed: 99 });
    const record = await runGeneration(sent, ctx);
    expect(record.recipe.request).toEqual(sent);
    const again = await runGeneration(record.recipe.request as GenerateRequest, ctx);
    expect(decodePng(fs.readFileSync(again.outputPath)).rgb).toEqual(decodePng(fs.readFileSync(record.outputPath)).rgb);
  });
});
