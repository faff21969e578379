/**
 * Live previews in a real run on the bundled `emoji` model (tiny VAE decoder) and on `tiny`
 * (no tiny decoder: the full VAE decodes): the final pixels are the same with previews on and
 * off, on flow matching, DDIM (deterministic and stochastic), Euler, DPM-Solver++ and a cache; frames arrive every few steps, before the last step,
 * as small PNGs; and the hook reads only the loop's guided output.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateCacheConfig } from '../../../core/cache/cache-config';
import { createScheduler } from '../../../core/sampler/create-scheduler';
import type { Branch } from '../../../core/sampling/branch';
import type { BranchOutputs, DenoiseModel } from '../../../core/sampling/denoise-model';
import { PreviewSchedule } from '../../../core/sampling/preview-schedule';
import { previewHook } from '../../../core/sampling/preview-hook';
import { sample } from '../../../core/sampling/sample';
import { uniformPlan } from '../../../core/sampling/step-plan';
import type { PreviewFrame } from '../../../main/pipeline/preview-session';
import { txt2img, type Txt2ImgParams } from '../../../main/pipeline/txt2img';
import { decodePng } from '../../../main/png/png-reader';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { BUNDLED_PIPELINES, TINY_DIR } from '../../helpers/runtime-fixture';
import path from 'node:path';

const pipelines = new PipelineCache(2);
const emoji = () => pipelines.get(path.join(BUNDLED_PIPELINES, 'emoji'), 'cpu').then((p) => p.pipeline);
const params = (overrides: Partial<Txt2ImgParams> = {}): Txt2ImgParams => ({ prompt: 'red heart', negativePrompt: '', steps: 30, cfg: 4, seed: 11, scheduler: 'default', ...overrides });

beforeAll(async () => {
  await emoji();
}, 60_000);
afterAll(() => pipelines.clear());

function pngOf(frame: PreviewFrame): { width: number; height: number; rgb: Uint8Array } {
  const prefix = 'data:image/png;base64,';
  expect(frame.dataUrl.startsWith(prefix)).toBe(true);
  return decodePng(Buffer.from(frame.dataUrl.slice(prefix.length), 'base64'));
}

describe('live previews on emoji', () => {
  test('the final image is the same with previews on and off; frames come every few steps before the last', async () => {
    const pipeline = await emoji();
    const off = await txt2img(pipeline, params());
    const frames: PreviewFrame[] = [];
    // A budget this large never binds, so the frames come on the step gap alone, whatever the machine's load.
    const on = await txt2img(pipeline, params(), { onPreview: (f) => frames.push(f), previewPolicy: { minGap: 6, budget: 0.99 } });
    expect(Buffer.from(on.rgb).equals(Buffer.from(off.rgb))).toBe(true);
    expect(off.preview).toBeUndefined();
    expect(on.preview).toMatchObject({ decoder: 'tiny', count: 4 });
    expect(frames.map((f) => f.step)).toEqual([6, 12, 18, 24]);
    for (const frame of frames) {
      expect(frame).toMatchObject({ totalSteps: 30, width: 64, height: 64 });
      expect(pngOf(frame)).toMatchObject({ width: 64, height: 64 });
    }
    // The last preview is close to the final image, the first far from it: it shows the run converging.
    const diff = (rgb: Uint8Array) => rgb.reduce((sum, v, i) => sum + Math.abs(v - (on.rgb[i] as number)), 0) / rgb.length;
    const first = pngOf(frames[0] as PreviewFrame).rgb;
    const last = pngOf(frames[frames.length - 1] as PreviewFrame).rgb;
    expect(diff(last)).toBeLessThan(diff(first));
  }, 60_000);

  test('the same holds with a step cache', async () => {
    const pipeline = await emoji();
    for (const overrides of [{ cache: { config: validateCacheConfig({ method: 'fora', interval: 2 }), modelHash: 'x' } }]) {
      const off = await txt2img(pipeline, params(overrides));
      const on = await txt2img(pipeline, params(overrides), { onPreview: () => undefined });
      expect(Buffer.from(on.rgb).equals(Buffer.from(off.rgb))).toBe(true);
      expect(on.preview?.count).toBeGreaterThan(0);
    }
  }, 60_000);

  test('a model without a tiny decoder previews with its full VAE decoder, on DDIM (η 0 and 0.5), Euler and DPM-Solver++ alike', async () => {
    const { pipeline } = await pipelines.get(TINY_DIR, 'cpu');
    for (const overrides of [{ scheduler: 'ddim' as const }, { scheduler: 'ddim' as const, eta: 0.5 }, { scheduler: 'euler' as const }, { scheduler: 'dpmpp-2m' as const }]) {
      const frames: PreviewFrame[] = [];
      const off = await txt2img(pipeline, params({ steps: 10, ...overrides }));
      const on = await txt2img(pipeline, params({ steps: 10, ...overrides }), { onPreview: (f) => frames.push(f) });
      expect(Buffer.from(on.rgb).equals(Buffer.from(off.rgb)), JSON.stringify(overrides)).toBe(true);
      expect(on.preview?.decoder).toBe('full');
      expect(frames.length).toBeGreaterThan(0);
    }
  }, 60_000);
});

describe('the preview hook in the sampling loop', () => {
  /** out = 0.5·x ± 0.1 per branch. */
  class Linear implements DenoiseModel {
    async predict(x: Float32Array, _t: number, branches: readonly Branch[]): Promise<BranchOutputs> {
      return new Map(branches.map((b) => [b, x.map((v) => 0.5 * v + (b === 'cond' ? 0.1 : -0.1))]));
    }
  }

  test('it captures x̂₀ of the guided output and leaves the latents unchanged', async () => {
    const scheduler = () => createScheduler({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 }, 6);
    const shape = { channels: 1, height: 1, width: 2 };
    const run = async (withHook: boolean) => {
      const s = scheduler();
      const schedule = new PreviewSchedule(6, { minGap: 2, budget: 0.5 }, () => 0);
      const hook = previewHook(s, 3, schedule, () => 0);
      const taken: { step: number; x0: number[] }[] = [];
      const result = await sample({
        scheduler: s, plan: uniformPlan(6, 'm'), models: new Map([['m', new Linear()]]), hooks: withHook ? [hook] : [], shape, initialNoise: Float32Array.from([0.6, -0.2]), cfg: 3,
        onStep: () => {
          const p = hook.take();
          if (p) taken.push({ step: p.stepIndex, x0: [...p.x0] });
          if (p) schedule.end(0);
        },
      });
      return { latents: [...result.latents], taken, sigmas: s.sigmas };
    };
    const plain = await run(false);
    const hooked = await run(true);
    expect(hooked.latents).toEqual(plain.latents);
    // The clock never moves, so only the gap and the busy flag decide: after steps 1 and 3 (not 5, the last).
    expect(hooked.taken.map((t) => t.step)).toEqual([1, 3]);
    // Step 1's input is the latent after step 0; guided output uncond + 3·(cond − uncond) = 0.5·x − 0.1 + 3·0.2.
    const s = scheduler();
    const x = Float32Array.from([0.6, -0.2]);
    const out0 = x.map((v) => 0.5 * v - 0.1 + 3 * 0.2);
    const x1 = s.step(out0, 0, x);
    const guided1 = x1.map((v) => 0.5 * v - 0.1 + 3 * 0.2);
    const sigma1 = s.sigmas[1] as number;
    hooked.taken[0]?.x0.forEach((v, k) => expect(v).toBeCloseTo((x1[k] as number) - sigma1 * (guided1[k] as number), 6));
  });
});
