/** `studio bench hybrid`'s runner on a few captions: the sweep's shape, its reference, and the remote check. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseHybridBenchArgs } from '../../../main/cli/bench-hybrid-command';
import { runHybridBench } from '../../../main/hybrid/run-hybrid-bench';
import { ModelRegistry } from '../../../main/models/model-registry';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { startV2Server, type V2Server } from '../../../main/serving/v2-server';
import { BUNDLED_PIPELINES, REPO_ROOT, tempDir } from '../../helpers/runtime-fixture';

const pipelines = new PipelineCache(2);
let served: OrtRunner;
let server: V2Server;

beforeAll(async () => {
  served = await OrtRunner.create(path.join(BUNDLED_PIPELINES, 'emoji', 'transformer', 'model.onnx'), { label: 'transformer/model.onnx', provider: 'cpu' });
  server = await startV2Server({ models: [{ name: 'emoji-transformer', runner: served }], port: 0 });
});
afterAll(async () => {
  await server.close();
  await served.dispose();
  await pipelines.clear();
});

describe('hybrid benchmark', () => {
  test('sweeps K in both orders against the large-only image, and checks the server gives the same pixels', async () => {
    const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: tempDir() });
    const report = await runHybridBench(
      {
        large: 'emoji',
        small: 'emoji-small',
        provider: 'cpu',
        scheduler: 'default',
        steps: 10,
        cfg: 4,
        evalDir: path.join(REPO_ROOT, 'native-models', 'eval'),
        n: 3,
        seedBase: 0,
        largeSteps: [4],
        remote: { url: server.modelUrl('emoji-transformer'), images: 2, largeSteps: 4, order: 'large-first' },
      },
      { registry, pipelines },
    );
    expect(report.points.map((p) => [p.order, p.largeSteps])).toEqual([
      ['large-first', 10],
      ['large-first', 4],
      ['large-first', 0],
      ['small-first', 4],
    ]);
    const [reference, split] = report.points;
    expect(reference).toMatchObject({ largeComputeSaved: 0, psnr: 100, ssim: 1, smallMacs: 0 });
    expect(split?.largeComputeSaved).toBeCloseTo(0.6, 12);
    expect(split?.largeMacs).toBe(4 * 2 * 30785536);
    expect(split?.psnr).toBeLessThan(100);
    expect(report.points.every((p) => p.top5 >= 0 && p.top5 <= 1)).toBe(true);
    expect(report.remote).toMatchObject({ identicalPixels: true, images: 2, calls: 8 });
    expect(report.evalDir).toBe(path.join('native-models', 'eval'));
  });

  test('the CLI scales the default K sweep to --steps and refuses K past it', () => {
    const parsed = parseHybridBenchArgs(['--large', 'emoji', '--small', 'emoji-small', '--steps', '20', '--json', 'x.json']);
    expect(parsed.options.largeSteps).toEqual([20, 16, 12, 10, 8, 6, 4, 2, 0]);
    expect(parsed.remote).toEqual({ images: 8, largeSteps: 8, order: 'large-first' });
    expect(() => parseHybridBenchArgs(['--large', 'emoji', '--small', 'emoji-small', '--steps', '20', '--ks', '25', '--json', 'x.json'])).toThrow(/ks/);
  });
});
