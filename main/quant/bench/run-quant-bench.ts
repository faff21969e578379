/**
 * `studio bench quant`: the quantized denoiser, with and without compensation, against fp32 on
 * the same model, prompts and seeds (the cache benchmark's protocol):
 *
 *   1. quantize now on the calibration prompts (disjoint from the benchmark prompts), fitting
 *      the tables for exactly the benchmark's steps, CFG and scheduler;
 *   2. for the stacked row, a cache calibration profile on the same calibration prompts;
 *   3. a warm-up run of every row, unmeasured;
 *   4. per benchmark prompt (seed + i): every row, in an order rotated by one per prompt, so
 *      slow drift hits every row alike;
 *   5. quality against the fp32 uncached image, top-5 accuracy through the eval classifier.
 * Nothing goes to history; the variant, its tables and the profile are stored as the commands
 * that make them would store them.
 */
import os from 'node:os';
import type { SchedulerName } from '../../../contract/api';
import type { CacheConfig } from '../../../contract/cache';
import { StudioError } from '../../../contract/errors';
import { type QuantizeResult, variantNameOf } from '../../../contract/quant';
import type { CompensationTables } from '../../../core/quant/compensation-tables';
import { rankRows, topKAccuracy, type TopKAccuracy } from '../../../core/eval/top-k';
import { profileFor } from '../../cache/bench/run-cache-bench';
import type { StudioPaths } from '../../config/studio-home';
import { EvalClassifier } from '../../eval/eval-classifier';
import { loadEvalAssets } from '../../eval/eval-assets';
import type { EvalItem } from '../../eval/eval-items';
import type { ModelRegistry } from '../../models/model-registry';
import { defaultPipelineCache } from '../../pipeline/default-pipeline-cache';
import { throwIfCancelled, txt2img, type Txt2ImgCompensation } from '../../pipeline/txt2img';
import { type LoadedPipeline, PipelineCache } from '../../runtime/loaded-pipeline';
import { pipelineHash } from '../../runtime/model-hash';
import type { StudioDb } from '../../store/studio-db';
import { runQuantize } from '../quantize-model';
import { PSNR_CAP_DB, quantTargets, type QuantBenchReport, type QuantBenchSample, type RowSpec, summarizeRow } from './quant-bench-report';

export interface QuantBenchOptions {
  model: string;
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  /** Labelled benchmark prompts (eval captions or a prompts file), with their seeds. */
  items: EvalItem[];
  calibrationPrompts: string[];
  calibrationSeed: number;
  evalDir: string;
  /** ERTACache's λ values for the stacked rows (one row pair each). */
  stackLambdas: number[];
}

export interface QuantBenchContext {
  registry: ModelRegistry;
  db: StudioDb;
  paths: Pick<StudioPaths, 'variants'>;
}

export interface QuantBenchHooks {
  signal?: AbortSignal;
  onStatus?: (line: string) => void;
}

/** The precisions benchmarked: the W8A8 variant and the most aggressive one (4-bit weights, simulated). */
export const BENCH_PRECISIONS = ['w8a8', 'w4a8'] as const;
type BenchPrecision = (typeof BENCH_PRECISIONS)[number];

/** Its own cache: the default one holds two pipelines, the bench needs fp32 plus one per precision. */
const benchPipelines = new PipelineCache(BENCH_PRECISIONS.length);

const ERTA = (lambda: number): CacheConfig => ({ method: 'ertacache', lambda, timeAdjustment: true, rectification: 'channel', phiReference: 'velocity', signal: 'guided', reuseSet: 'placed' }) as CacheConfig;

/** @throws StudioError INVALID_REQUEST (prompts not disjoint) | MODEL_* | CANCELLED | STORE */
export async function runQuantBench(opts: QuantBenchOptions, ctx: QuantBenchContext, hooks: QuantBenchHooks = {}): Promise<QuantBenchReport> {
  const started = performance.now();
  const { signal } = hooks;
  const calib = new Set(opts.calibrationPrompts.map((p) => p.trim().toLowerCase()));
  if (opts.items.some((it) => calib.has(it.prompt.trim().toLowerCase()))) throw new StudioError('INVALID_REQUEST', 'The calibration and benchmark prompts must be disjoint.', 'prompts');
  const model = ctx.registry.resolve(opts.model);
  const assets = loadEvalAssets(opts.evalDir);

  const { pipeline: fp32 } = await defaultPipelineCache.get(model.dir, 'cpu');
  const modelHash = await pipelineHash(model.dir);
  const quantized = new Map<BenchPrecision, { result: QuantizeResult; tables: CompensationTables; calibrationId: number; pipeline: LoadedPipeline }>();
  for (const precision of BENCH_PRECISIONS) {
    hooks.onStatus?.(`quantizing ${model.id} (${precision}) on ${opts.calibrationPrompts.length} calibration prompts (${opts.steps} steps, cfg ${opts.cfg})`);
    const result = await runQuantize({ model: opts.model, precision, prompts: opts.calibrationPrompts, steps: opts.steps, cfg: opts.cfg, scheduler: opts.scheduler, seed: opts.calibrationSeed, provider: 'cpu' }, ctx, { signal });
    const stored = ctx.db.quantCalibrations.get(result.calibrationId);
    if (stored === undefined) throw new StudioError('INTERNAL', 'the compensation tables just stored are missing');
    const { pipeline } = await benchPipelines.get(model.dir, 'cpu', { variantsRoot: ctx.paths.variants, denoiserVariant: variantNameOf(precision) });
    quantized.set(precision, { result, tables: stored.tables, calibrationId: stored.id, pipeline });
  }
  hooks.onStatus?.('recording a cache profile for the stacked rows');
  const { profile } = await profileFor(
    { model: opts.model, provider: 'cpu', scheduler: opts.scheduler, steps: opts.steps, cfg: opts.cfg, calibrationPrompts: opts.calibrationPrompts, benchmarkPrompts: opts.items.map((i) => i.prompt), thresholdsPerMethod: 1, seed: 0, calibrationSeed: opts.calibrationSeed, recordProfile: true, ablation: false },
    { registry: ctx.registry, db: ctx.db, pipelines: defaultPipelineCache },
    fp32,
    modelHash,
    { signal },
  );

  const rows: (RowSpec & { run: (prompt: string, seed: number) => Promise<QuantBenchSample> })[] = [];
  const runner = (pipeline: LoadedPipeline, compensation: Txt2ImgCompensation | undefined, cache: CacheConfig | undefined) => async (prompt: string, seed: number): Promise<QuantBenchSample> => {
    const out = await txt2img(
      pipeline,
      { prompt, negativePrompt: '', steps: opts.steps, cfg: opts.cfg, seed, scheduler: opts.scheduler, ...(compensation ? { compensation } : {}), ...(cache ? { cache: { config: cache, modelHash, profile } } : {}) },
      { signal },
    );
    return { rgb: out.rgb, modelMs: out.timings.modelMs, denoiseMs: out.timings.denoiseMs, modelCalls: out.cacheStats?.modelCalls ?? opts.steps, compensationMs: out.compensationMs ?? 0 };
  };
  rows.push({ name: 'fp32', precision: 'fp32', compensation: 'none', strength: 0, cache: null, run: runner(fp32, undefined, undefined) });
  for (const [precision, q] of quantized) {
    const comp = (method: 'ptqd' | 'tcec'): Txt2ImgCompensation => ({ method, strength: q.tables.strength[method], tables: q.tables, calibrationId: q.calibrationId });
    rows.push({ name: precision, precision, compensation: 'none', strength: 0, cache: null, run: runner(q.pipeline, undefined, undefined) });
    for (const method of ['ptqd', 'tcec'] as const) rows.push({ name: `${precision} + ${method}`, precision, compensation: method, strength: q.tables.strength[method], cache: null, run: runner(q.pipeline, comp(method), undefined) });
  }
  const w8 = quantized.get('w8a8');
  for (const lambda of opts.stackLambdas) {
    const erta = ERTA(lambda);
    rows.push({ name: `fp32 + ertacache λ ${lambda}`, precision: 'fp32', compensation: 'none', strength: 0, cache: `ertacache λ ${lambda}`, run: runner(fp32, undefined, erta) });
    if (w8 !== undefined) {
      const tcec: Txt2ImgCompensation = { method: 'tcec', strength: w8.tables.strength.tcec, tables: w8.tables, calibrationId: w8.calibrationId };
      rows.push({ name: `w8a8 + tcec + ertacache λ ${lambda}`, precision: 'w8a8', compensation: 'tcec', strength: tcec.strength, cache: `ertacache λ ${lambda}`, run: runner(w8.pipeline, tcec, erta) });
    }
  }

  const first = opts.items[0];
  if (first === undefined) throw new StudioError('INVALID_REQUEST', 'The benchmark needs at least one prompt.', 'prompts');
  hooks.onStatus?.(`warm-up: ${rows.length} runs`);
  for (const r of rows) await r.run(first.prompt, first.seed);
  const samples: QuantBenchSample[][] = rows.map(() => []);
  for (const [p, item] of opts.items.entries()) {
    throwIfCancelled(signal);
    for (let k = 0; k < rows.length; k++) {
      const c = (p + k) % rows.length;
      (samples[c] as QuantBenchSample[])[p] = await (rows[c] as (typeof rows)[number]).run(item.prompt, item.seed);
    }
    hooks.onStatus?.(`prompt ${p + 1}/${opts.items.length} done`);
  }

  const classifier = await EvalClassifier.open(assets.classifierPath, 'cpu', assets.classes);
  const labels = opts.items.map((it) => (it.intended === null ? null : assets.classes.indexOf(it.intended)));
  const accuracy: TopKAccuracy[] = [];
  try {
    for (const s of samples) {
      const out = await classifier.classify(s.map((x) => x.rgb));
      accuracy.push(topKAccuracy(rankRows(out.logits, out.count, assets.classes.length, 5), labels));
    }
  } finally {
    await classifier.dispose();
  }
  const reference = samples[0] as QuantBenchSample[];
  const table = rows.map(({ run: _run, ...spec }, i) => summarizeRow(spec, samples[i] as QuantBenchSample[], reference, fp32.geometry, accuracy[i] as { top1: number | null; top5: number | null }));
  const w8result = (w8 ?? [...quantized.values()][0])?.result as QuantizeResult;
  const ratio = w8result.weightBytes.fp32 / w8result.weightBytes.quantized;
  const cpus = os.cpus();
  return {
    model: model.id,
    steps: opts.steps,
    cfg: opts.cfg,
    scheduler: opts.scheduler,
    provider: 'cpu',
    prompts: { calibration: [...opts.calibrationPrompts], benchmark: opts.items.map((i) => i.prompt), labelled: labels.filter((l) => l !== null).length },
    seeds: { benchmark: first.seed, calibration: opts.calibrationSeed },
    weights: { fp32Bytes: w8result.weightBytes.fp32, quantizedBytes: w8result.weightBytes.quantized, ratio },
    quantize: [...quantized.values()].map(({ result: { ops, ...rest } }) => ({ ...rest, quantizedOps: ops.filter((o) => o.decision !== 'fp32').length })),
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.version },
    protocol: { warmupRuns: rows.length, order: 'per benchmark prompt: every row in an order rotated by one per prompt; same seed for all', psnrCapDb: PSNR_CAP_DB },
    rows: table,
    targets: quantTargets(table, ratio),
    createdAt: new Date().toISOString(),
    elapsedS: (performance.now() - started) / 1000,
  };
}

/** Releases the quantized pipelines the benchmark loaded. */
export function clearBenchPipelines(): Promise<void> {
  return benchPipelines.clear();
}
