/**
 * `studio bench hybrid`: a K sweep of a large/small pair, in both orders, on the evaluation
 * captions. Every point runs on the same seeds; points are interleaved per caption (the order
 * rotates with the caption) so slow drift in the machine spreads over all of them. Each image is
 * compared with the large-only image of its caption (PSNR, SSIM), and each point's images go
 * through the evaluation classifier (prompt accuracy, Fréchet distance to the real images).
 *
 * Optionally a few images of one split run again with the large model behind a v2 server (see
 * hybrid-remote-bench.ts), checking they equal the in-process images and measuring the traffic.
 */
import type { ProviderChoice, SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { medianAndMean } from '../../core/eval/timing-stats';
import { rankRows, topKAccuracy } from '../../core/eval/top-k';
import { hybridPlan, type HybridOrder } from '../../core/hybrid/hybrid-plan';
import { psnr } from '../../core/metrics/psnr';
import { ssim } from '../../core/metrics/ssim';
import { loadEvalAssets } from '../eval/eval-assets';
import { EvalClassifier, featureFrechet } from '../eval/eval-classifier';
import { loadRealImages } from '../eval/eval-images';
import { captionItems } from '../eval/eval-items';
import { reportPath } from '../eval/eval-report';
import { denoiserMacs } from '../models/denoiser-macs';
import type { ModelRegistry } from '../models/model-registry';
import { checkHybridPair } from '../pipeline/hybrid-pair';
import { throwIfCancelled, txt2img } from '../pipeline/txt2img';
import type { LoadedPipeline, PipelineCache } from '../runtime/loaded-pipeline';
import { pipelineHash } from '../runtime/model-hash';
import type { HybridBenchPoint, HybridBenchRemote, HybridBenchReport } from '../../contract/hybrid-bench';
import { runRemoteCheck } from './hybrid-remote-bench';

export interface HybridBenchOptions {
  large: string;
  small: string;
  provider: ProviderChoice;
  scheduler: SchedulerName;
  steps: number;
  cfg: number;
  evalDir: string;
  /** Captions to use (evenly spaced); absent = all. */
  n?: number;
  /** Caption i uses seed seedBase + i. */
  seedBase: number;
  /** The K values to sweep (large-model steps), each in 0..steps. */
  largeSteps: number[];
  /** Re-run `images` captions of one split with the large model at `url` (a v2 model endpoint). */
  remote?: { url: string; images: number; largeSteps: number; order: HybridOrder };
}

export interface HybridBenchHooks {
  signal?: AbortSignal;
  onStatus?: (line: string) => void;
  /** After each image: images done of the sweep's total (captions × splits). */
  onImage?: (done: number, total: number) => void;
}

/** Images a sweep makes: captions × splits (large-only and small-only once, other K in both orders). */
export function sweepImages(captions: number, steps: number, ks: readonly number[]): number {
  return captions * sweep(steps, ks).length;
}

interface Point {
  order: HybridOrder;
  largeSteps: number;
  rgb: Uint8Array[];
  denoiseMs: number[];
}

/** @throws StudioError INVALID_REQUEST (K, pair, sizes) | MODEL_* | CANCELLED | REMOTE_* */
export async function runHybridBench(opts: HybridBenchOptions, ctx: { registry: ModelRegistry; pipelines: PipelineCache }, hooks: HybridBenchHooks = {}): Promise<HybridBenchReport> {
  const { signal, onStatus } = hooks;
  const bad = opts.largeSteps.filter((k) => !Number.isInteger(k) || k < 0 || k > opts.steps);
  if (bad.length > 0) throw new StudioError('INVALID_REQUEST', `--ks must be integers in 0..${opts.steps} (got ${bad.join(', ')}).`, 'ks');
  const assets = loadEvalAssets(opts.evalDir);
  const items = captionItems(assets.captions, opts.n, opts.seedBase);
  const largeInfo = ctx.registry.resolve(opts.large);
  const smallInfo = ctx.registry.resolve(opts.small);
  const large = (await ctx.pipelines.get(largeInfo.dir, opts.provider)).pipeline;
  const small = (await ctx.pipelines.get(smallInfo.dir, opts.provider)).pipeline;
  const models = {
    large: { id: largeInfo.id, hash: await pipelineHash(largeInfo.dir), pipeline: large },
    small: { id: smallInfo.id, hash: await pipelineHash(smallInfo.dir), pipeline: small },
  };
  checkHybridPair(models.large, models.small, opts.steps, opts.scheduler);
  for (const item of items) large.textEncoder.tokenize(item.prompt, `Eval caption "${item.prompt}"`);

  const points = sweep(opts.steps, opts.largeSteps);
  const reference = points.findIndex((p) => p.largeSteps === opts.steps);
  onStatus?.(`${items.length} captions × ${points.length} splits of ${opts.steps} steps (${models.large.id} + ${models.small.id})`);
  for (const [i, item] of items.entries()) {
    for (let j = 0; j < points.length; j++) {
      throwIfCancelled(signal);
      const point = points[(i + j) % points.length] as Point;
      const image = await txt2img(
        large,
        { prompt: item.prompt, negativePrompt: '', steps: opts.steps, cfg: opts.cfg, seed: item.seed, scheduler: opts.scheduler, hybrid: { small, largeSteps: point.largeSteps, order: point.order } },
        signal === undefined ? {} : { signal },
      );
      point.rgb[i] = image.rgb;
      point.denoiseMs[i] = image.timings.denoiseMs;
      hooks.onImage?.(i * points.length + j + 1, items.length * points.length);
    }
    if ((i + 1) % 16 === 0 || i + 1 === items.length) onStatus?.(`${i + 1}/${items.length} captions`);
  }

  const classifier = await EvalClassifier.open(assets.classifierPath, opts.provider, assets.classes);
  try {
    const { width, height } = large.geometry;
    const real = loadRealImages(assets, classifier.width, classifier.height);
    const realOut = await classifier.classify(real.rgb);
    const realAccuracy = topKAccuracy(rankRows(realOut.logits, realOut.count, assets.classes.length, 5), real.labels);
    const labels = items.map((it) => (it.intended === null ? null : assets.classes.indexOf(it.intended)));
    const refRgb = (points[reference] as Point).rgb;
    const macs = { large: denoiserMacs(large.layout.dir, denoiserHash(large)), small: denoiserMacs(small.layout.dir, denoiserHash(small)) };
    const batch = opts.cfg > 1 ? 2 : 1;
    const out: HybridBenchPoint[] = [];
    for (const p of points) {
      const scored = await classifier.classify(p.rgb);
      const accuracy = topKAccuracy(rankRows(scored.logits, scored.count, assets.classes.length, 5), labels);
      const perImage = (k: number, m: number | undefined): number | null => (m === undefined ? null : k * m * batch);
      out.push({
        order: p.order,
        largeSteps: p.largeSteps,
        largeComputeSaved: 1 - p.largeSteps / opts.steps,
        largeMacs: perImage(p.largeSteps, macs.large),
        smallMacs: perImage(opts.steps - p.largeSteps, macs.small),
        denoiseMsMedian: medianAndMean(p.denoiseMs).median,
        psnr: mean(p.rgb.map((rgb, i) => Math.min(psnr(rgb, refRgb[i] as Uint8Array), 100))),
        ssim: mean(p.rgb.map((rgb, i) => ssim({ data: rgb, width, height, channels: 3 }, { data: refRgb[i] as Uint8Array, width, height, channels: 3 }))),
        top1: accuracy.top1 ?? 0,
        top5: accuracy.top5 ?? 0,
        frechet: featureFrechet(scored, realOut),
      });
    }
    let remote: HybridBenchRemote | undefined;
    if (opts.remote !== undefined) {
      onStatus?.(`remote: ${opts.remote.images} images through ${opts.remote.url}`);
      remote = await runRemoteCheck(opts.remote, items.slice(0, opts.remote.images), { large, small, steps: opts.steps, cfg: opts.cfg, scheduler: opts.scheduler }, signal);
    }
    return {
      large: { id: models.large.id, hash: models.large.hash, macsPerCall: macs.large ?? null },
      small: { id: models.small.id, hash: models.small.hash, macsPerCall: macs.small ?? null },
      provider: large.provider,
      scheduler: large.layout.schedulerConfig && typeof large.layout.schedulerConfig === 'object' ? String((large.layout.schedulerConfig as { _class_name?: unknown })._class_name) : 'unknown',
      steps: opts.steps,
      cfg: opts.cfg,
      n: items.length,
      seedBase: opts.seedBase,
      evalDir: reportPath(assets.dir, process.cwd()),
      classifierOnReal: { top1: realAccuracy.top1 ?? 0, top5: realAccuracy.top5 ?? 0 },
      points: out,
      ...(remote ? { remote } : {}),
      createdAt: new Date().toISOString(),
    };
  } finally {
    await classifier.dispose();
  }
}

/** Large-only (K = N) and small-only (K = 0) once, every other K in both orders. */
function sweep(steps: number, ks: readonly number[]): Point[] {
  const unique = [...new Set([steps, 0, ...ks])].sort((a, b) => b - a);
  const points: Point[] = [];
  for (const order of ['large-first', 'small-first'] as const) {
    for (const k of unique) {
      const endpoint = k === steps || k === 0;
      if (order === 'small-first' && endpoint) continue;
      hybridPlan(steps, k, order);
      points.push({ order, largeSteps: k, rgb: [], denoiseMs: [] });
    }
  }
  return points;
}

function denoiserHash(p: LoadedPipeline): string {
  return p.identities.find((c) => c.role === 'denoiser')?.hash ?? '';
}


function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
