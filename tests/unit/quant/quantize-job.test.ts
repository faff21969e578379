/**
 * The quantize job on the `tiny` fixture: the W8A8 variant is installed, runs in onnxruntime and
 * stays close to fp32; its tables and report are stored; the job kind reads them back; a cancel
 * leaves no variant and no rows.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import type { QuantizeRequest } from '../../../contract/quant';
import { validateGenerateRequest } from '../../../contract/validate';
import { runGeneration } from '../../../main/generation/run-generation';
import { decodePng } from '../../../main/png/png-reader';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { JOB_KINDS } from '../../../main/jobs/job-kinds';
import { ModelRegistry } from '../../../main/models/model-registry';
import { defaultPipelineCache } from '../../../main/pipeline/default-pipeline-cache';
import { runQuantize } from '../../../main/quant/quantize-model';
import { denoiserFromBytes } from '../../../main/quant/quant-session';
import { resolveVariant } from '../../../main/runtime/variants';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';

let paths: StudioPaths;
let db: StudioDb;
let registry: ModelRegistry;
beforeAll(() => {
  paths = studioPaths(tempDir('studio-quant-'));
  fs.mkdirSync(paths.home, { recursive: true });
  db = openStudioDb(paths.db);
  registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models });
});
afterAll(async () => {
  db.close();
  await defaultPipelineCache.clear();
  cleanupTempDirs();
});

const request: QuantizeRequest = { model: 'tiny', precision: 'w8a8', prompts: ['a red circle', 'a blue square'], steps: 6, cfg: 4, scheduler: 'default', seed: 11, provider: 'cpu' };

/** Relative RMS difference of two predictions. */
function relRms(a: Float32Array, b: Float32Array): number {
  let e = 0, n = 0;
  for (let i = 0; i < a.length; i++) {
    e += ((a[i] as number) - (b[i] as number)) ** 2;
    n += (a[i] as number) ** 2;
  }
  return Math.sqrt(e / n);
}

describe('quantize job', () => {
  test('installs a W8A8 variant that runs in onnxruntime close to fp32, with its tables and report stored', async () => {
    const spec = JOB_KINDS.quantize;
    const req = spec.validate(request);
    expect(spec.totalSteps(req)).toBe(24);
    const seen: number[] = [];
    const result = await spec.run(req, { registry, db, paths, appVersion: 'test' }, { signal: new AbortController().signal, onProgress: (p) => seen.push(p.step) });
    expect(seen.at(-1)).toBe(24);
    expect(spec.load(db, result.id)).toEqual(result);
    expect(result.weightBytes.fp32 / result.weightBytes.quantized).toBeGreaterThan(3);
    expect(result.ops.filter((o) => o.decision === 'w8a8').length).toBeGreaterThan(10);
    expect(result.ops.find((o) => o.reason === 'first layer')).toBeDefined();
    expect(result.ops.find((o) => o.reason === 'last layer')).toBeDefined();
    expect(result.ops.filter((o) => o.decision === 'w8a8').every((o) => o.inputRange !== undefined && o.inputRange.hi > o.inputRange.lo)).toBe(true);
    expect(result.fp32OpTypes.map((o) => o.opType).sort()).toEqual(['LayerNormalization', 'MatMul', 'Softmax']);

    const { pipeline } = await defaultPipelineCache.get(registry.resolve('tiny').dir, 'cpu');
    const identity = pipeline.identities.find((c) => c.role === 'denoiser');
    const variant = resolveVariant(paths.variants, identity as NonNullable<typeof identity>, 'int8-w8a8');
    expect(variant.info.modelSha256).toBe(result.variantSha256);
    const stored = db.quantCalibrations.get(result.calibrationId);
    expect(stored?.tables.key).toMatchObject({ componentHash: identity?.hash, variant: 'int8-w8a8', variantSha256: result.variantSha256, steps: 6, cfg: 4 });
    expect(stored?.tables.tcec.K).toHaveLength(6);

    // Same random input to both graphs: the int8 prediction stays within 10 % relative RMS
    // (measured 2.6–2.9 % on this fixture).
    const { denoiser: q, dispose } = await denoiserFromBytes(fs.readFileSync(variant.file), 'variant');
    const dims = [4, pipeline.geometry.latentHeight, pipeline.geometry.latentWidth];
    const size = dims.reduce((a, b) => a * b, 1);
    const x = Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37));
    const ids = [pipeline.textEncoder.tokenize('a green triangle', 'Prompt')];
    const ctx = await pipeline.textEncoder.encode(ids);
    for (const t of [900, 500, 100]) {
      const ref = await pipeline.denoiser.predict(x, dims, t, ctx.data, [ctx.sequenceLength, ctx.hiddenSize]);
      const got = await q.predict(x, dims, t, ctx.data, [ctx.sequenceLength, ctx.hiddenSize]);
      const err = relRms(ref, got);
      expect(err).toBeGreaterThan(0);
      expect(err).toBeLessThan(0.1);
    }
    await dispose();
  });

  test('w4a8 writes the simulated 4-bit variant and says so', async () => {
    const result = await runQuantize({ ...request, precision: 'w4a8' }, { registry, db, paths });
    expect(result.variant).toBe('int4-w4a8');
    expect(result.note).toMatch(/int4 simulated/);
    const w8 = db.quantReports.get(1);
    // A 4-bit grid is coarser: the measured prediction error on the held-out calibration calls is larger.
    expect(Math.min(...Object.values(result.rangeErrors))).toBeGreaterThan(Math.min(...Object.values(w8?.rangeErrors ?? {})));
  });

  test('a cancelled job leaves no variant, no staging folder and no rows', async () => {
    const home = studioPaths(tempDir('studio-quant-cancel-'));
    fs.mkdirSync(home.home, { recursive: true });
    const cancelDb = openStudioDb(home.db);
    const ac = new AbortController();
    const run = runQuantize(request, { registry, db: cancelDb, paths: home }, { signal: ac.signal, onProgress: (p) => p.step >= 20 && ac.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(listFilesDeep(home.variants)).toEqual([]);
    expect(cancelDb.transaction(() => cancelDb.quantReports.get(1))).toBeUndefined();
    cancelDb.close();
  });
});

describe('generate with a quantized denoiser', () => {
  const generate = (overrides: Partial<GenerateRequest>) =>
    runGeneration(validateGenerateRequest({ prompt: 'a yellow star', negativePrompt: '', steps: 6, cfg: 4, seed: 5, model: 'tiny', provider: 'cpu', scheduler: 'default', ...overrides }), { registry, db, paths, appVersion: 'test' });

  test('records the variant and the compensation; strength 0 gives the uncompensated pixels', async () => {
    const plain = await generate({ denoiserVariant: 'int8-w8a8' });
    const tcec = await generate({ denoiserVariant: 'int8-w8a8', compensation: { method: 'tcec', strength: 1 } });
    const zero = await generate({ denoiserVariant: 'int8-w8a8', compensation: { method: 'tcec', strength: 0 } });
    const denoiser = tcec.recipe.components?.find((c) => c.role === 'denoiser');
    expect(denoiser).toMatchObject({ variant: 'int8-w8a8' });
    expect(denoiser?.variantHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tcec.recipe.compensation).toMatchObject({ method: 'tcec', strength: 1 });
    expect(plain.recipe.compensation).toBeUndefined();
    const pixels = (file: string) => decodePng(fs.readFileSync(file)).rgb;
    expect(pixels(zero.outputPath)).toEqual(pixels(plain.outputPath));
    expect(pixels(tcec.outputPath)).not.toEqual(pixels(plain.outputPath));
  });

  test('refuses a compensation without a quantized variant, and settings that were not calibrated', async () => {
    await expect(generate({ compensation: { method: 'tcec', strength: 1 } })).rejects.toThrow(/uses the fp32 model; add --precision w8a8/);
    await expect(generate({ denoiserVariant: 'int8-w8a8', steps: 7, compensation: { method: 'ptqd', strength: 1 } })).rejects.toThrow(/No compensation tables for int8-w8a8 with scheduler default, 7 steps, cfg 4 .*calibrated: default 6 steps cfg 4/);
    await expect(generate({ denoiserVariant: 'int8-w8a8', cfg: 2, compensation: { method: 'tcec' } })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
