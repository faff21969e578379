/**
 * Picks the quantized graph by measured error: each activation-range method (percentile, MSE)
 * and then each handling of the conditioning-path weights (int8 storage or fp32) is written,
 * loaded into ORT and run on the held-out calibration calls; the one whose prediction is closest
 * to fp32 (mean squared error) wins. int8 conditioning weights win unless they raise the error by
 * more than COND_TOLERANCE (they are a size win, not a speed one).
 */
import { type ActivationRange, chooseRange, RANGE_METHODS, type RangeMethod } from '../../core/quant/activation-range';
import { throwIfCancelled } from '../pipeline/txt2img';
import type { EvalPoint } from './activation-calibration';
import { type GraphPlan, planGraph } from './graph-plan';
import { encodeModel, graphOf, type ModelProto } from './onnx-model';
import { type QuantizedOpReport, writeQdqModel } from './qdq-writer';
import { denoiserFromBytes } from './quant-session';

export type QuantPrecision = 'w8a8' | 'w4a8' | 'w4a16';

/** Relative MSE increase accepted for storing conditioning weights in int8. */
export const COND_TOLERANCE = 0.1;

export interface ChosenGraph {
  bytes: Uint8Array;
  plan: GraphPlan;
  ops: QuantizedOpReport[];
  rangeMethod: RangeMethod;
  rangeErrors: Record<string, number>;
  conditioningWeights: 'int8' | 'fp32';
  conditioningErrors: Record<string, number>;
}

/** Mean squared error of a graph's predictions against fp32 over `evalSet`. */
export async function evalError(bytes: Uint8Array, evalSet: readonly EvalPoint[], dims: readonly number[], signal?: AbortSignal): Promise<number> {
  const { denoiser, dispose } = await denoiserFromBytes(bytes, 'candidate quantized graph');
  try {
    let sum = 0;
    let n = 0;
    for (const p of evalSet) {
      throwIfCancelled(signal);
      const out = await denoiser.predict(p.x, dims, p.t, p.ctx.data, p.ctx.dims);
      for (let j = 0; j < out.length; j++) sum += ((out[j] as number) - (p.fp32[j] as number)) ** 2;
      n += out.length;
    }
    return n > 0 ? sum / n : 0;
  } finally {
    await dispose();
  }
}

/** w4a16 keeps activations fp32: every op that would get a uint8 input becomes weight-only. */
export function planFor(precision: QuantPrecision, plan: GraphPlan): GraphPlan {
  if (precision !== 'w4a16') return plan;
  return { ...plan, activations: [], weightOps: plan.weightOps.map((w) => (w.decision === 'w8a8' ? { ...w, decision: 'weight-only', reason: '4-bit weights, fp32 activations (w4a16)' } : w)) };
}

export async function chooseGraph(source: ModelProto, samples: ReadonlyMap<string, Float32Array>, evalSet: readonly EvalPoint[], dims: readonly number[], signal?: AbortSignal, precision: QuantPrecision = 'w8a8'): Promise<ChosenGraph> {
  const graph = graphOf(source);
  const bits = precision === 'w8a8' ? 8 : 4;
  const build = (plan: GraphPlan, ranges: ReadonlyMap<string, ActivationRange>) => {
    const { model, ops } = writeQdqModel(source, plan, ranges, bits);
    return { bytes: encodeModel(model), ops };
  };
  const planInt8 = planFor(precision, planGraph(graph, 'int8'));
  const rangeErrors: Record<string, number> = {};
  let best: { method: RangeMethod; ranges: Map<string, ActivationRange>; err: number } | undefined;
  for (const method of RANGE_METHODS) {
    const ranges = new Map(planInt8.activations.map((a) => [a, chooseRange(samples.get(a) ?? new Float32Array(), method)]));
    const err = await evalError(build(planInt8, ranges).bytes, evalSet, dims, signal);
    rangeErrors[method] = err;
    if (best === undefined || err < best.err) best = { method, ranges, err };
  }
  const chosen = best as { method: RangeMethod; ranges: Map<string, ActivationRange>; err: number };
  const planFp32 = planFor(precision, planGraph(graph, 'fp32'));
  const fp32Cond = build(planFp32, chosen.ranges);
  const fp32Err = await evalError(fp32Cond.bytes, evalSet, dims, signal);
  const conditioningErrors = { int8: chosen.err, fp32: fp32Err };
  const int8Ok = chosen.err <= fp32Err * (1 + COND_TOLERANCE);
  const final = int8Ok ? build(planInt8, chosen.ranges) : fp32Cond;
  return {
    bytes: final.bytes,
    plan: int8Ok ? planInt8 : planFp32,
    ops: final.ops,
    rangeMethod: chosen.method,
    rangeErrors,
    conditioningWeights: int8Ok ? 'int8' : 'fp32',
    conditioningErrors,
  };
}
