/**
 * Writes the W8A8 QDQ graph of a plan (graph-plan.ts): for each int8 weight op
 *
 *   W (fp32 [K,N]) → W_q (int8) ─DequantizeLinear(scale [N], zp 0, axis)→ op
 *   X (fp32)       ─QuantizeLinear(s, zp uint8)→ X_q ─DequantizeLinear→ op
 *
 * ORT's CPU provider fuses DQ,DQ→MatMul into MatMulIntegerToFloat / QLinearMatMul at load
 * (level 'all'), so the op runs on int8 kernels. A tensor feeding several ops (q, k and v) gets
 * one Q/DQ pair. Weight-only ops get just the weight DQ (ORT keeps it, fp32 compute).
 * Per-channel DQ needs opset ≥ 13; an older model is refused. weightBits 4 puts the weights on a
 * 4-bit grid stored as int8 (int4 simulated, see int8-weights.ts).
 */
import { StudioError } from '../../contract/errors';
import { type ActivationRange, uint8Params } from '../../core/quant/activation-range';
import { quantizeWeightsPerChannel } from '../../core/quant/int8-weights';
import type { GraphPlan } from './graph-plan';
import { cloneModel, DataType, defaultOpset, floatsOf, graphOf, type ModelProto, node, type NodeProto, tensor } from './onnx-model';

export const MIN_QDQ_OPSET = 13;

/** One quantized op of the report, or a weight op left in fp32. */
export interface QuantizedOpReport {
  name: string;
  opType: string;
  decision: string;
  reason: string;
  /** Static input range (w8a8 ops). */
  inputRange?: ActivationRange;
  /** Smallest and largest per-channel weight scale (int8 weights). */
  weightScale?: [number, number];
}

/**
 * @param ranges static range per activation of plan.activations
 * @returns a new model (the source is not touched) and the per-op report
 * @throws StudioError MODEL_LAYOUT for an opset below 13
 */
export function writeQdqModel(source: ModelProto, plan: GraphPlan, ranges: ReadonlyMap<string, ActivationRange>, weightBits: 4 | 8 = 8): { model: ModelProto; ops: QuantizedOpReport[] } {
  const opset = defaultOpset(source);
  if (opset < MIN_QDQ_OPSET) throw new StudioError('MODEL_LAYOUT', `The denoiser uses opset ${opset}; per-channel int8 needs opset ${MIN_QDQ_OPSET} or newer.`);
  const model = cloneModel(source);
  const graph = graphOf(model);
  const inits = new Map(graph.initializer.map((t) => [t.name, t]));
  // The plan names nodes of the source graph; the clone has the same nodes at the same indices.
  const sourceNodes = graphOf(source).node;
  const targets = plan.weightOps.map((op) => graph.node[sourceNodes.indexOf(op.node)] as NodeProto);
  const inserted = new Map<NodeProto, NodeProto[]>();
  const ops: QuantizedOpReport[] = [];
  const quantizedWeights = new Map<string, [number, number]>();

  const dqWeight = (weight: string, dims: number[], axis: number): string => {
    const out = `${weight}__dq`;
    if (quantizedWeights.has(weight)) return out;
    const w = inits.get(weight);
    if (w === undefined) throw new StudioError('INTERNAL', `initializer ${weight} vanished`);
    const { q, scales } = quantizeWeightsPerChannel(floatsOf(w), dims, axis, weightBits);
    graph.initializer.splice(graph.initializer.indexOf(w), 1);
    graph.initializer.push(
      tensor(`${weight}__q`, DataType.INT8, dims, q),
      tensor(`${weight}__scale`, DataType.FLOAT, [scales.length], scales),
      tensor(`${weight}__zp`, DataType.INT8, [scales.length], new Int8Array(scales.length)),
    );
    graph.node.unshift(node('DequantizeLinear', [`${weight}__q`, `${weight}__scale`, `${weight}__zp`], [out], `${weight}/DequantizeLinear`, [{ name: 'axis', i: axis }]));
    quantizedWeights.set(weight, [Math.min(...scales), Math.max(...scales)]);
    return out;
  };

  // Activation Q/DQ pairs go right before the first op that reads them (graph order stays topological).
  const activationDq = new Map<string, string>();
  for (const [k, op] of plan.weightOps.entries()) {
    const target = targets[k] as NodeProto;
    const report: QuantizedOpReport = { name: target.name, opType: op.opType, decision: op.decision, reason: op.reason };
    if (op.decision !== 'fp32') {
      target.input = target.input.map((x) => (x === op.weight ? dqWeight(op.weight, op.weightDims, op.axis) : x));
      report.weightScale = quantizedWeights.get(op.weight);
    }
    if (op.decision === 'w8a8') {
      const range = ranges.get(op.activation);
      if (range === undefined) throw new StudioError('INTERNAL', `no calibrated range for ${op.activation}`);
      let dq = activationDq.get(op.activation);
      if (dq === undefined) {
        const { scale, zeroPoint } = uint8Params(range);
        const base = op.activation;
        dq = `${base}__adq`;
        graph.initializer.push(tensor(`${base}__ascale`, DataType.FLOAT, [], new Float32Array([scale])), tensor(`${base}__azp`, DataType.UINT8, [], new Uint8Array([zeroPoint])));
        inserted.set(target, [
          ...(inserted.get(target) ?? []),
          node('QuantizeLinear', [base, `${base}__ascale`, `${base}__azp`], [`${base}__aq`], `${base}/QuantizeLinear`),
          node('DequantizeLinear', [`${base}__aq`, `${base}__ascale`, `${base}__azp`], [dq], `${base}/DequantizeLinear`),
        ]);
        activationDq.set(op.activation, dq);
      }
      const dqName = dq;
      target.input = target.input.map((x) => (x === op.activation ? dqName : x));
      report.inputRange = range;
    }
    ops.push(report);
  }
  graph.node = graph.node.flatMap((n) => [...(inserted.get(n) ?? []), n]);
  return { model, ops };
}
