/**
 * Hybrid runs with the large model behind a v2 server (the studio's own serve-model server on
 * 127.0.0.1): the pixels equal the in-process run's, the recipe names the endpoint of each remote
 * step, traffic is counted; a server that dies mid-run either ends the job with a clear error and
 * nothing written, or — when asked — the run finishes on the local model and says where it switched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../contract/api';
import { validateGenerateRequest } from '../../../contract/validate';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { runGeneration, type GenerationContext } from '../../../main/generation/run-generation';
import { ModelRegistry } from '../../../main/models/model-registry';
import { decodePng } from '../../../main/png/png-reader';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { startV2Server, type V2Server } from '../../../main/serving/v2-server';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { BUNDLED_PIPELINES, cleanupTempDirs, listFilesDeep, tempDir } from '../../helpers/runtime-fixture';

let paths: StudioPaths;
let db: StudioDb;
let ctx: GenerationContext;
let served: OrtRunner;
let server: V2Server;

beforeAll(async () => {
  paths = studioPaths(tempDir('studio-hybrid-remote-'));
  fs.mkdirSync(paths.home, { recursive: true });
  db = openStudioDb(paths.db);
  ctx = { registry: new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models }), db, paths, appVersion: 'test', pipelines: new PipelineCache(2) };
  served = await OrtRunner.create(path.join(BUNDLED_PIPELINES, 'emoji', 'transformer', 'model.onnx'), { label: 'transformer/model.onnx', provider: 'cpu' });
  server = await startV2Server({ models: [{ name: 'emoji-transformer', runner: served }], port: 0 });
});
afterAll(async () => {
  await server.close();
  await served.dispose();
  db.close();
  await ctx.pipelines?.clear();
  cleanupTempDirs();
});

const request = (remote?: NonNullable<GenerateRequest['hybrid']>['remote']): GenerateRequest =>
  validateGenerateRequest({
    prompt: 'grinning face',
    steps: 20,
    cfg: 4,
    seed: 12,
    model: 'emoji',
    provider: 'cpu',
    hybrid: { small: 'emoji-small', largeSteps: 8, order: 'large-first', ...(remote ? { remote } : {}) },
  });
const pixels = (file: string): Uint8Array => decodePng(fs.readFileSync(file)).rgb;

describe('the large model on a v2 server', () => {
  test('gives the in-process pixels, records the endpoint per step and counts the traffic', async () => {
    const local = await runGeneration(request(), ctx);
    const remote = await runGeneration(request({ url: server.modelUrl('emoji-transformer'), fallback: 'fail' }), ctx);
    expect(pixels(remote.outputPath)).toEqual(pixels(local.outputPath));
    const segments = remote.recipe.hybrid?.segments;
    expect(segments?.map((s) => [s.from, s.to, s.model, s.endpoint])).toEqual([
      [0, 8, 'large', server.modelUrl('emoji-transformer')],
      [8, 20, 'small', undefined],
    ]);
    const r = remote.hybridStats?.remote;
    expect(r?.calls).toBe(8);
    // Each call sends a [2, 4, 8, 8] latent, 2 timesteps and [2, 32, 128] embeddings as float32, and gets [2, 4, 8, 8] back.
    expect(r?.bytesSent).toBeGreaterThan(8 * 4 * (2 * 256 + 2 * 32 * 128));
    expect(r?.bytesReceived).toBeGreaterThanOrEqual(8 * 4 * 2 * 256);
    expect(r?.latencyP95Ms).toBeGreaterThanOrEqual(r?.latencyMedianMs ?? Infinity);
    console.log(`remote hybrid: ${r?.calls} calls, ${r?.bytesSent} B sent, ${r?.bytesReceived} B received, median ${r?.latencyMedianMs.toFixed(2)} ms, p95 ${r?.latencyP95Ms.toFixed(2)} ms per call`);
  });

  test('the recipe keeps the request without the bearer token, in history and in the PNG', async () => {
    const guarded = await startV2Server({ models: [{ name: 'emoji-transformer', runner: served }], port: 0, token: 'sesame' });
    try {
      const record = await runGeneration(request({ url: guarded.modelUrl('emoji-transformer'), token: 'sesame', fallback: 'fail' }), ctx);
      expect(record.recipe.request?.hybrid?.remote).toEqual({ url: guarded.modelUrl('emoji-transformer'), fallback: 'fail' });
      expect(JSON.stringify(db.history.get(record.id))).not.toContain('sesame');
      expect(fs.readFileSync(record.outputPath).includes(Buffer.from('sesame'))).toBe(false);
    } finally {
      await guarded.close();
    }
  });

  test('a wrong model name and an unreachable server fail before any step, leaving nothing', async () => {
    const before = listFilesDeep(paths.outputs).length;
    await expect(runGeneration(request({ url: server.modelUrl('no-such-model'), fallback: 'fail' }), ctx)).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    await expect(runGeneration(request({ url: 'http://127.0.0.1:9/v2/models/emoji-transformer', fallback: 'local' }), ctx)).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' });
    expect(listFilesDeep(paths.outputs).length).toBe(before);
  });

  test('a server that dies mid-run: an error and nothing saved, or with fallback the local model finishes', async () => {
    const runner = await OrtRunner.create(path.join(BUNDLED_PIPELINES, 'emoji', 'transformer', 'model.onnx'), { label: 'transformer/model.onnx', provider: 'cpu' });
    // The server closes for good after its fourth answer.
    const dying = async (): Promise<V2Server> => {
      let answered = 0;
      const s = await startV2Server({ models: [{ name: 'emoji-transformer', runner: { ...runner, inputs: runner.inputs, outputs: runner.outputs, label: runner.label, provider: runner.provider, dispose: () => Promise.resolve(), run: async (feeds, names, signal) => {
        const out = await runner.run(feeds, names, signal);
        if (++answered === 4) setImmediate(() => void s.close(0));
        return out;
      } } as OrtRunner }], port: 0 });
      return s;
    };
    const before = listFilesDeep(paths.outputs).length;
    const rows = db.history.list({}).length;
    const first = await dying();
    await expect(runGeneration(request({ url: first.modelUrl('emoji-transformer'), fallback: 'fail' }), ctx)).rejects.toMatchObject({ code: 'REMOTE_UNAVAILABLE' });
    expect(listFilesDeep(paths.outputs).length).toBe(before);
    expect(db.history.list({}).length).toBe(rows);

    const second = await dying();
    const finished = await runGeneration(request({ url: second.modelUrl('emoji-transformer'), fallback: 'local' }), ctx);
    const local = await runGeneration(request(), ctx);
    expect(finished.recipe.hybrid?.fellBack?.atStep).toBe(4);
    expect(finished.recipe.hybrid?.segments.map((s) => [s.from, s.to, s.model, s.endpoint !== undefined])).toEqual([
      [0, 4, 'large', true],
      [4, 8, 'large', false],
      [8, 20, 'small', false],
    ]);
    // Same weights on both sides, so switching machines does not move a pixel.
    expect(pixels(finished.outputPath)).toEqual(pixels(local.outputPath));
    await runner.dispose();
  });
});
