import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Provider } from '../../../contract/api';
import { StudioError } from '../../../contract/errors';
import { loadPipeline, PipelineCache, type LoadedPipeline } from '../../../main/runtime/loaded-pipeline';
import { floatTensor } from '../../../main/runtime/host-tensor';
import { listAvailableProviders, OrtRunner } from '../../../main/runtime/ort-runner';
import { TINY_DIR } from '../../helpers/runtime-fixture';

const VAE = path.join(TINY_DIR, 'vae_decoder', 'model.onnx');
const open: { dispose(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.dispose()));
});

async function session(provider: Parameters<typeof OrtRunner.create>[1]['provider']): Promise<OrtRunner> {
  const s = await OrtRunner.create(VAE, { label: 'vae_decoder/model.onnx', provider });
  open.push(s);
  return s;
}

describe('providers', () => {
  test('cpu is always available and listed last', () => {
    const available = listAvailableProviders();
    expect(available.at(-1)).toBe('cpu');
    expect(new Set(available).size).toBe(available.length);
  });

  test('auto falls back through providers that cannot start, quickly, and records the one used', async () => {
    const started = performance.now();
    const auto = await session('auto');
    const elapsed = performance.now() - started;
    expect(listAvailableProviders()).toContain(auto.provider);
    // Every provider auto skipped really refuses when asked for explicitly.
    for (const reason of auto.skipped) {
      const name = reason.split(':')[0] as 'webgpu';
      await expect(session(name)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    }
    expect(elapsed).toBeLessThan(10_000);
  });

  test('auto keeps the first provider, in the order it tries them, that starts on this machine', async () => {
    // Each available provider tried explicitly, in AUTO_PROVIDER_ORDER (cpu always starts).
    const starts: Provider[] = [];
    for (const p of listAvailableProviders()) {
      const ok = await session(p).then(
        () => true,
        () => false,
      );
      if (ok) starts.push(p);
    }
    const auto = await session('auto');
    expect(auto.provider).toBe(starts[0]);
    expect(starts).toContain('cpu');
  });

  test('an explicit provider this build lacks → PROVIDER_UNAVAILABLE naming it and the available ones', async () => {
    const missing = (['dml', 'coreml', 'cuda'] as const).find((p) => !listAvailableProviders().includes(p));
    expect(missing).toBeDefined();
    const err = await session(missing!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('PROVIDER_UNAVAILABLE');
    expect((err as StudioError).message).toContain(`"${missing}"`);
    expect((err as StudioError).message).toMatch(/Available: .*cpu/);
  });
});

describe('sessions', () => {
  test('metadata lists names, dtypes and symbolic dims', async () => {
    const s = await session('cpu');
    expect(s.inputs).toEqual([{ name: 'latent_sample', type: 'float32', dims: ['batch', 4, 8, 8] }]);
    expect(s.outputs).toEqual([{ name: 'sample', type: 'float32', dims: ['batch', 3, 64, 64] }]);
  });

  test('inputs are checked before the run: missing names and wrong dims are named', async () => {
    const s = await session('cpu');
    await expect(s.run({})).rejects.toThrow(/needs input\(s\) latent_sample/);
    await expect(s.run({ latent_sample: floatTensor('float32', new Float32Array(4 * 4 * 4), [1, 4, 4, 4]) })).rejects.toThrow(
      /"latent_sample" is declared float32\[batch,4,8,8\] but the pipeline feeds float32\[1,4,4,4\]/,
    );
  });

  test('runs queued on one session complete in order with the right shapes', async () => {
    const s = await session('cpu');
    const feeds = [1, 2, 3].map((b) => ({ latent_sample: floatTensor('float32', new Float32Array(b * 256).fill(0.1 * b), [b, 4, 8, 8]) }));
    const results = await Promise.all(feeds.map((f) => s.run(f)));
    expect(results.map((r) => r.sample?.dims)).toEqual([
      [1, 3, 64, 64],
      [2, 3, 64, 64],
      [3, 3, 64, 64],
    ]);
  });
});

describe('loaded tiny pipeline', () => {
  let pipeline: LoadedPipeline;

  test('loads every component and returns the right shapes', async () => {
    pipeline = await loadPipeline(TINY_DIR, 'cpu');
    open.push(pipeline);
    expect(pipeline.provider).toBe('cpu');
    expect(pipeline.textEncoder.sequenceLength).toBe(32);
    const ids = [pipeline.textEncoder.tokenize(''), pipeline.textEncoder.tokenize('a red apple')];
    const ctx = await pipeline.textEncoder.encode(ids);
    expect([ctx.batch, ctx.sequenceLength, ctx.hiddenSize]).toEqual([2, 32, 32]);
    expect(ctx.data.length).toBe(2 * 32 * 32);

    const latents = new Float32Array(2 * 256).map((_, i) => Math.sin(i));
    const pred = await pipeline.denoiser.predict(latents, [4, 8, 8], 500, ctx.data, [32, 32]);
    expect(pred.length).toBe(2 * 256);
    expect(pred.every(Number.isFinite)).toBe(true);
    // The two rows got different prompts, so their predictions differ.
    expect(Array.from(pred.subarray(0, 256))).not.toEqual(Array.from(pred.subarray(256)));

    const image = await pipeline.vaeDecoder.decode(latents.subarray(0, 256), [1, 4, 8, 8]);
    expect(image.dims).toEqual([1, 3, 64, 64]);
    expect(pipeline.vaeDecoder.scalingFactor).toBeCloseTo(3.179027, 5);
  });

  test('the cache returns the same pipeline for the same key and disposes on eviction', async () => {
    const cache = new PipelineCache(1);
    const a = await cache.get(TINY_DIR, 'cpu');
    const b = await cache.get(TINY_DIR, 'cpu');
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(b.pipeline).toBe(a.pipeline);
    const c = await cache.get(TINY_DIR, 'auto'); // another key evicts the first
    expect(c.cached).toBe(false);
    await expect(a.pipeline.vaeDecoder.runner.run({})).rejects.toThrow(/disposed/);
    await cache.clear();
  });
});
