/**
 * The denoising loop with a cache, on the tiny fixture (untrained: behaviour only, not quality).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { chwToRgb8 } from '../../../core/image/chw-to-rgb';
import { gaussianNoise } from '../../../core/noise/gaussian-noise';
import { applyGuidance } from '../../../core/sampler/guidance';
import { ProfileRecorder, nominalSigmas, profileKeyFor, type CacheProfile } from '../../../core/cache';
import { schedulerFor, txt2img, type Txt2ImgParams } from '../../../main/pipeline/txt2img';
import { PipelineCache, type LoadedPipeline } from '../../../main/runtime/loaded-pipeline';
import { cleanupTempDirs, TINY_DIR } from '../../helpers/runtime-fixture';
import { tinyWithProbe } from './integration-fixture';
import { validateCacheConfig } from '../../../core/cache/cache-config';

const pipelines = new PipelineCache(2);
let tiny: LoadedPipeline;
let probed: LoadedPipeline;
const HASH = 'f'.repeat(64);

beforeAll(async () => {
  tiny = (await pipelines.get(TINY_DIR, 'cpu')).pipeline;
  probed = (await pipelines.get(tinyWithProbe(), 'cpu')).pipeline;
});
afterAll(async () => {
  await pipelines.clear();
  cleanupTempDirs();
});

const params = (over: Partial<Txt2ImgParams> = {}): Txt2ImgParams => ({
  prompt: 'a red apple', negativePrompt: 'blurry', steps: 8, cfg: 5, seed: 42, scheduler: 'default', ...over,
});

/** The loop as it was before caching (one batched call per step, guidance, scheduler step, decode). */
async function referenceLoop(p: LoadedPipeline, q: Txt2ImgParams): Promise<Uint8Array> {
  const scheduler = schedulerFor(p, q.steps, q.scheduler);
  const g = p.geometry;
  const dims = [g.latentChannels, g.latentHeight, g.latentWidth] as const;
  const per = dims[0] * dims[1] * dims[2];
  const guided = q.cfg > 1;
  const ids = guided ? [p.textEncoder.tokenize(q.negativePrompt), p.textEncoder.tokenize(q.prompt)] : [p.textEncoder.tokenize(q.prompt)];
  const ctx = await p.textEncoder.encode(ids);
  let latents: Float32Array = gaussianNoise(q.seed, per).map((v) => v * scheduler.initNoiseSigma);
  for (let i = 0; i < scheduler.numSteps; i++) {
    const x = scheduler.scaleModelInput(latents, i);
    const input = guided ? Float32Array.from([...x, ...x]) : x;
    const pred = await p.denoiser.predict(input, dims, scheduler.timesteps[i] as number, ctx.data, [ctx.sequenceLength, ctx.hiddenSize]);
    latents = scheduler.step(guided ? applyGuidance(pred.subarray(0, per), pred.subarray(per), q.cfg) : pred, i, latents);
  }
  const image = await p.vaeDecoder.decode(latents, [1, ...dims]);
  const h = image.dims[2] as number;
  const w = image.dims[3] as number;
  return chwToRgb8(image.data.subarray(0, 3 * h * w), h, w);
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

async function profileOf(p: LoadedPipeline, q: Txt2ImgParams, prompts: string[]): Promise<CacheProfile> {
  const scheduler = schedulerFor(p, q.steps, q.scheduler);
  const g = p.geometry;
  const recorder = new ProfileRecorder({
    key: profileKeyFor(scheduler, { modelHash: HASH, cfg: q.cfg, width: g.width, height: g.height }),
    latentShape: [g.latentChannels, g.latentHeight, g.latentWidth],
    timesteps: scheduler.timesteps,
    sigmas: nominalSigmas(scheduler) ?? null,
  });
  for (const [i, prompt] of prompts.entries()) await txt2img(p, { ...q, prompt, negativePrompt: '', seed: 100 + i }, { recorder });
  return recorder.finish();
}

async function rejection(run: Promise<unknown>): Promise<StudioError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

describe('txt2img with a cache', () => {
  test('uncached pixels equal the pre-cache loop, with and without guidance', async () => {
    for (const cfg of [5, 1]) {
      const out = await txt2img(tiny, params({ cfg }));
      expect(same(out.rgb, await referenceLoop(tiny, params({ cfg })))).toBe(true);
      expect(out.cacheStats).toBeUndefined();
      expect(out.timings.probeMs).toBe(0);
    }
  });

  test('method none runs every step and gives the uncached pixels', async () => {
    const plain = await txt2img(tiny, params());
    const none = await txt2img(tiny, params({ cache: { config: { method: 'none' }, modelHash: HASH } }));
    expect(same(none.rgb, plain.rgb)).toBe(true);
    expect(none.cacheStats).toEqual({ modelCalls: 8, steps: 8, computeSteps: new Array(8).fill(true), profileId: null });
    expect(none.cacheConfig).toEqual({ method: 'none' });
  });

  test('FORA interval 2 makes ⌈steps/2⌉ model calls and changes the image', async () => {
    for (const steps of [7, 8]) {
      const out = await txt2img(tiny, params({ steps, cache: { config: { method: 'fora', interval: 2 }, modelHash: HASH } }));
      expect(out.cacheStats?.modelCalls).toBe(Math.ceil(steps / 2));
      expect(out.cacheStats?.computeSteps).toEqual(Array.from({ length: steps }, (_, i) => i % 2 === 0));
      expect(same(out.rgb, (await txt2img(tiny, params({ steps }))).rgb)).toBe(false);
    }
  });

  test('model time is a part of the denoise time on a cached run', async () => {
    const fora = await txt2img(tiny, params({ steps: 16, cache: { config: { method: 'fora', interval: 4 }, modelHash: HASH } }));
    expect(fora.cacheStats?.modelCalls).toBe(4);
    expect(fora.timings.modelMs).toBeGreaterThan(0);
    expect(fora.timings.modelMs).toBeLessThanOrEqual(fora.timings.denoiseMs);
  });

  test('a method without its profile → INVALID_REQUEST about cache (a bad config never gets here: the request boundary refuses it)', async () => {
    const missing = await rejection(txt2img(tiny, params({ cache: { config: validateCacheConfig({ method: 'magcache' }), modelHash: HASH } })));
    expect(missing).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    expect(missing.message).toMatch(/needs a calibration profile/);
  });

  test('a profile for other steps or another CFG scale is refused with the reason', async () => {
    const profile = await profileOf(tiny, params({ steps: 6 }), ['a cat', 'a dog']);
    const steps = await rejection(txt2img(tiny, params({ steps: 8, cache: { config: validateCacheConfig({ method: 'magcache' }), profile, modelHash: HASH } })));
    expect(steps.message).toContain('profile was made for 6 steps, this run uses 8');
    const cfg = await rejection(txt2img(tiny, params({ steps: 6, cfg: 3, cache: { config: validateCacheConfig({ method: 'magcache' }), profile, modelHash: HASH } })));
    expect(cfg.message).toContain('profile was made for CFG scale 5, this run uses 3');
    const model = await rejection(txt2img(tiny, params({ steps: 6, cache: { config: validateCacheConfig({ method: 'magcache' }), profile, modelHash: 'e'.repeat(64) } })));
    expect(model.message).toMatch(/profile was made for model f{12}…/);
    const ok = await txt2img(tiny, params({ steps: 6, cache: { config: { method: 'magcache', threshold: 3, maxSkips: 2, warmupRatio: 0 }, profile, modelHash: HASH } }));
    expect(ok.cacheStats?.modelCalls).toBeLessThan(6);
  });

  test('ERTACache samples on its adjusted σ grid with the Euler scheduler and is refused with DDIM', async () => {
    const q = params({ steps: 8, scheduler: 'euler' });
    const profile = await profileOf(tiny, q, ['a cat', 'a dog', 'a fish']);
    const erta = await txt2img(tiny, { ...q, cache: { config: validateCacheConfig({ method: 'ertacache', lambda: 3, timeAdjustment: true }), profile, modelHash: HASH } });
    expect(erta.cacheStats?.modelCalls).toBeLessThan(8);
    expect(erta.scheduler.className).toBe('EulerDiscreteScheduler');
    const ddimProfile = await profileOf(tiny, params({ steps: 6 }), ['a cat']);
    const ddim = await rejection(txt2img(tiny, params({ steps: 6, cache: { config: validateCacheConfig({ method: 'ertacache', timeAdjustment: true }), profile: ddimProfile, modelHash: HASH } })));
    expect(ddim.message).toMatch(/time adjustment needs the flow-match Euler or Euler scheduler/);
  });

  test('with probe.onnx, calibration and TeaCache read the probe; a probe profile on a model without one is refused', async () => {
    expect(probed.probe).toBeDefined();
    expect(tiny.probe).toBeUndefined();
    const q = params({ steps: 8 });
    const profile = await profileOf(probed, q, ['a cat', 'a dog', 'a fish']);
    expect(profile.probeSource).toBe('probe');
    const tea = await txt2img(probed, { ...q, cache: { config: validateCacheConfig({ method: 'teacache', threshold: 3 }), profile, modelHash: HASH } });
    expect(tea.timings.probeMs).toBeGreaterThan(0);
    expect(tea.cacheStats?.modelCalls).toBeLessThan(8);
    const refused = await rejection(txt2img(tiny, { ...q, cache: { config: validateCacheConfig({ method: 'teacache' }), profile, modelHash: HASH } }));
    expect(refused).toMatchObject({ code: 'INVALID_REQUEST', detail: 'cache' });
    expect(refused.message).toMatch(/recorded with the model's TeaCache probe \(transformer\/probe\.onnx\)/);
    // Without a probe the same method calibrates on the model input and runs.
    const inputProfile = await profileOf(tiny, q, ['a cat', 'a dog']);
    expect(inputProfile.probeSource).toBe('input');
    const plainTea = await txt2img(tiny, { ...q, cache: { config: validateCacheConfig({ method: 'teacache', threshold: 0 }), profile: inputProfile, modelHash: HASH } });
    expect(plainTea.cacheStats?.modelCalls).toBe(8);
    expect(plainTea.timings.probeMs).toBe(0);
  });

  test('a probe that reads the prompt runs once per CFG branch and gives each branch its own signal', async () => {
    const textProbed = (await pipelines.get(tinyWithProbe(true), 'cpu')).pipeline;
    const probe = textProbed.probe;
    expect(probe?.perBranch).toBe(true);
    expect(probed.probe?.perBranch).toBe(false);
    const ctx = await textProbed.textEncoder.encode([textProbed.textEncoder.tokenize(''), textProbed.textEncoder.tokenize('a red apple')]);
    const x = gaussianNoise(1, 4 * 8 * 8);
    const rows = await (probe as NonNullable<typeof probe>).run(Float32Array.from([...x, ...x]), [4, 8, 8], 500, ctx.data, [ctx.sequenceLength, ctx.hiddenSize]);
    expect(rows).toHaveLength(2);
    expect(Buffer.from((rows[0] as Float32Array).buffer).equals(Buffer.from((rows[1] as Float32Array).buffer))).toBe(false);
    const q = params({ steps: 8 });
    const profile = await profileOf(textProbed, q, ['a cat', 'a dog', 'a fish']);
    expect(profile.probeSource).toBe('probe');
    const tea = await txt2img(textProbed, { ...q, cache: { config: validateCacheConfig({ method: 'teacache', threshold: 3 }), profile, modelHash: HASH } });
    expect(tea.timings.probeMs).toBeGreaterThan(0);
    expect(tea.cacheStats?.modelCalls).toBeLessThan(8);
    expect(tea.cacheStats?.modelCalls).toBeGreaterThan(0);
  });
});
