/**
 * `studio quantize` and the `quantize` job: writes the W8A8 variant of a model's denoiser and
 * fits its compensation tables for the request's sampling setting.
 *
 *   load    fp32 pipeline; read the denoiser graph (external data inlined); plan it (refusals)
 *   encode  activation ranges over whole fp32 trajectories (prompts × steps calls)
 *   denoise pick the range method and conditioning-weight storage by measured error; fit PTQD
 *           and TCEC along quantized trajectories (prompts × steps)
 *   save    install the variant atomically (a cancel before the rename leaves nothing), then
 *           store tables and report in one transaction (which also completes the job)
 *
 * Progress counts calibration steps: 2 × prompts × steps.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { JobStage } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { type QuantizeRequest, type QuantizeResult, variantNameOf } from '../../contract/quant';
import type { CompensationTables } from '../../core/quant/compensation-tables';
import type { StudioPaths } from '../config/studio-home';
import type { ModelRegistry } from '../models/model-registry';
import { defaultPipelineCache } from '../pipeline/default-pipeline-cache';
import { throwIfCancelled } from '../pipeline/txt2img';
import type { PipelineCache } from '../runtime/loaded-pipeline';
import { installVariant, VARIANT_MODEL_FILE } from '../runtime/variants';
import type { StudioDb } from '../store/studio-db';
import { collectActivations } from './activation-calibration';
import { chooseGraph } from './choose-graph';
import { chooseStrengths } from './choose-strength';
import { fitCompensation } from './fit-compensation';
import { planGraph } from './graph-plan';
import { decodeModel, graphOf, loadModel, type ModelProto } from './onnx-model';
import { denoiserFromBytes, latentDimsOf } from './quant-session';
import { checkPrecision } from './precision-support';

export interface QuantizeContext {
  registry: ModelRegistry;
  db: StudioDb;
  paths: Pick<StudioPaths, 'variants'>;
  pipelines?: PipelineCache;
}

export interface QuantizeHooks {
  signal?: AbortSignal;
  onProgress?: (p: { stage: JobStage; step: number; totalSteps: number }) => void;
}

/** What the report says of the 4-bit precisions. */
export const SIMULATED_INT4 = 'int4 simulated: weights on a 4-bit grid (q in [-7, 7], per output channel) stored as int8, run by the int8 kernels; ORT CPU runs no int4 QDQ here, so there is no size or speed gain over w8a8, only the 4-bit error';

export function quantizeJobSize(req: Pick<QuantizeRequest, 'prompts' | 'steps'>): number {
  return 2 * req.prompts.length * req.steps;
}

/** Bytes of all initializers (the weights) of a model. */
export function weightBytes(model: ModelProto): number {
  return graphOf(model).initializer.reduce((n, t) => n + (t.rawData?.length ?? 0) + 4 * (t.floatData?.length ?? 0), 0);
}

/**
 * @throws StudioError MODEL_NOT_FOUND | MODEL_CORRUPT | MODEL_LAYOUT (unsupported ops) | PROVIDER_UNAVAILABLE (precision) | CANCELLED | STORE
 */
export async function runQuantize(req: QuantizeRequest, ctx: QuantizeContext, hooks: QuantizeHooks = {}): Promise<QuantizeResult> {
  const { signal } = hooks;
  checkPrecision(req.precision, req.provider);
  const total = quantizeJobSize(req);
  let done = 0;
  const progress = (stage: JobStage) => hooks.onProgress?.({ stage, step: done, totalSteps: total });
  progress('load');
  const model = ctx.registry.resolve(req.model);
  const { pipeline } = await (ctx.pipelines ?? defaultPipelineCache).get(model.dir, 'cpu');
  const identity = pipeline.identities.find((c) => c.role === 'denoiser');
  if (identity === undefined) throw new StudioError('INTERNAL', 'the pipeline has no denoiser identity');
  const source = loadModel(path.join(identity.dir, VARIANT_MODEL_FILE));
  const plan = planGraph(graphOf(source), 'int8');
  req.prompts.forEach((p, i) => pipeline.textEncoder.tokenize(p, `Calibration prompt ${i + 1}`));
  throwIfCancelled(signal);

  const run = { prompts: req.prompts, steps: req.steps, cfg: req.cfg, scheduler: req.scheduler, seed: req.seed, signal, onStep: () => { done++; progress(done <= total / 2 ? 'encode' : 'denoise'); } };
  const { samples, evalSet } = await collectActivations(pipeline, source, plan.activations, run);
  const chosen = await chooseGraph(source, samples, evalSet, latentDimsOf(pipeline), signal, req.precision);
  const quant = await denoiserFromBytes(chosen.bytes, 'quantized denoiser');
  const variant = variantNameOf(req.precision);
  const variantSha256 = crypto.createHash('sha256').update(chosen.bytes).digest('hex');
  const g = pipeline.geometry;
  let tables: CompensationTables;
  let strengthErrors: Record<string, Record<string, number>>;
  try {
    const fitted = await fitCompensation(pipeline, pipeline.denoiser, quant.denoiser, run);
    const base = {
      format: 'studio-quant-compensation' as const,
      version: 1 as const,
      key: { componentHash: identity.hash, variant, variantSha256, scheduler: req.scheduler, steps: req.steps, cfg: req.cfg, width: g.width, height: g.height },
      channels: fitted.channels,
      fit: { prompts: req.prompts.length, seed: req.seed },
      ptqd: fitted.ptqd,
      tcec: fitted.tcec,
    };
    progress('decode');
    const choice = await chooseStrengths(pipeline, quant.denoiser, base, fitted.references, run);
    tables = { ...base, strength: choice.strength };
    strengthErrors = choice.errors;
  } finally {
    await quant.dispose();
  }
  throwIfCancelled(signal);
  progress('save');
  const quantizedModelBytes = weightBytes(decodeModel(chosen.bytes));
  const details = { precision: req.precision, rangeMethod: chosen.rangeMethod, conditioningWeights: chosen.conditioningWeights, calibration: { prompts: req.prompts.length, steps: req.steps, cfg: req.cfg, scheduler: req.scheduler, seed: req.seed } };
  const installed = installVariant(ctx.paths.variants, identity, variant, { model: chosen.bytes }, details, () => signal?.aborted === true);
  if (installed === undefined) throw new StudioError('CANCELLED', 'The quantize job was cancelled; no variant was written.');
  const createdAt = new Date().toISOString();
  return ctx.db.transaction(() => {
    const cal = ctx.db.quantCalibrations.put(tables, createdAt);
    return ctx.db.quantReports.insert({
      modelId: model.id,
      variant,
      variantSha256,
      precision: req.precision,
      ...(req.precision === 'w8a8' ? {} : { note: SIMULATED_INT4 }),
      weightBytes: { fp32: weightBytes(source), quantized: quantizedModelBytes },
      rangeMethod: chosen.rangeMethod,
      rangeErrors: chosen.rangeErrors,
      conditioningWeights: chosen.conditioningWeights,
      conditioningErrors: chosen.conditioningErrors,
      ops: chosen.ops,
      fp32OpTypes: chosen.plan.fp32OpTypes,
      calibrationId: cal.id,
      strength: tables.strength,
      strengthErrors,
      createdAt,
    });
  });
}
