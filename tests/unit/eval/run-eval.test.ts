/**
 * `runEval` end to end on the real tiny fixture pipeline and a real (tiny) classifier ONNX
 * run by onnxruntime-node. What the report must say is predicted independently: the same
 * seeds are regenerated with txt2img, and the classifier's arithmetic (channel means · W)
 * is redone in float64 here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { frechetDistance } from '../../../core/eval/frechet-distance';
import { wilsonInterval } from '../../../core/eval/wilson-interval';
import { runEval, type EvalOptions } from '../../../main/eval/run-eval';
import { ModelRegistry } from '../../../main/models/model-registry';
import { txt2img } from '../../../main/pipeline/txt2img';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { BUNDLED_PIPELINES, cleanupTempDirs, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';
import { channelMeans, CLASSES, logitsOf, writeEvalSet } from './eval-set-fixture';

const pipelines = new PipelineCache(1);
const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: tempDir('studio-eval-user-') });
const set = writeEvalSet();

afterAll(async () => {
  await pipelines.clear();
  cleanupTempDirs();
});

function options(extra: Partial<EvalOptions> = {}): EvalOptions {
  return { model: 'tiny', provider: 'cpu', scheduler: 'default', evalDir: set.dir, steps: 2, cfg: 4, seedBase: 7, n: 4, ...extra };
}

describe('runEval on the eval captions', () => {
  it('reports what the classifier says about the generated images, reproducibly', async () => {
    const report = await runEval(options(), { registry, pipelines });

    // 4 of 9 captions, evenly spaced: indices 0, 2, 4, 6; seeds base + i.
    expect(report.items.map((it) => [it.prompt, it.intended, it.seed])).toEqual(
      [0, 2, 4, 6].map((c, i) => [set.captions[c]?.caption, set.captions[c]?.subcategory, 7 + i]),
    );
    expect(report).toMatchObject({ model: 'tiny', provider: 'cpu', steps: 2, cfg: 4, n: 4, seeds: { base: 7 }, promptsFile: null });
    expect(report.modelHash).toMatch(/^[0-9a-f]{64}$/);
    // Every real image is a solid colour its class's weights favour; 8 distinct images for 9 captions.
    expect(report.classifierOnReal).toEqual({ top1: 1, top5: 1, n: 8 });

    // Predict each generated image's classification by regenerating it and redoing the classifier's maths.
    const { pipeline } = await pipelines.get(TINY_DIR, 'cpu');
    const generatedFeatures: number[] = [];
    for (const item of report.items) {
      const image = await txt2img(pipeline, { prompt: item.prompt, negativePrompt: '', steps: 2, cfg: 4, seed: item.seed, scheduler: 'default' });
      const features = channelMeans(image.rgb);
      generatedFeatures.push(...features);
      const logits = logitsOf(features);
      const sorted = [...logits].sort((a, b) => b - a);
      const reported = item.top5.map((name) => logits[CLASSES.indexOf(name)] as number);
      expect(item.top5).toHaveLength(5);
      expect(new Set(item.top5).size).toBe(5);
      // Best first, and nothing outside the top 5 scores higher (float32 vs float64: 1e-5 slack).
      for (let k = 0; k < 5; k++) expect(reported[k]).toBeGreaterThan((sorted[k] as number) - 1e-5);
    }
    const hits1 = report.items.filter((it) => it.top5[0] === it.intended).length;
    const hits5 = report.items.filter((it) => it.intended !== null && it.top5.includes(it.intended)).length;
    expect(report.promptAccuracy).toEqual({
      top1: hits1 / 4, top5: hits5 / 4, counted: 4, excluded: 0, excludedBecause: {},
      ci95: { top1: wilsonInterval(hits1, 4), top5: wilsonInterval(hits5, 4) },
    });

    const realFeatures = set.realImages.flatMap((rgb) => channelMeans(rgb));
    const expectedFd = frechetDistance({ data: generatedFeatures, count: 4, dim: 3 }, { data: realFeatures, count: 8, dim: 3 });
    expect(report.frechetDistance).not.toBeNull();
    expect(Math.abs((report.frechetDistance as number) - expectedFd)).toBeLessThan(1e-4 * Math.max(1, expectedFd));
    expect(report.secondsPerImage.median).toBeGreaterThan(0);
    expect(report.secondsPerImage.mean).toBeGreaterThan(0);

    const again = await runEval(options(), { registry, pipelines });
    expect(again.items).toEqual(report.items);
    expect(again.frechetDistance).toBe(report.frechetDistance);
  });

  it('refuses more images than captions and seeds past 2³²−1 before generating', async () => {
    await expect(runEval(options({ n: 10 }), { registry, pipelines })).rejects.toThrow(/--n 10 is more than the 9 evaluation captions/);
    await expect(runEval(options({ seedBase: 4294967294 }), { registry, pipelines })).rejects.toThrow(/Seeds 4294967294\.\.4294967297 do not fit/);
  });
});
