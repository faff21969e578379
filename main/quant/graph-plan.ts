/**
 * Which ops of a denoiser graph the W8A8 quantizer turns into int8, and why the others stay
 * fp32. The decision per weight-carrying op (MatMul/Gemm/Conv with a constant weight):
 *
 *   first layer   (first weight op on the latent's path)            → fp32
 *   last layer    (last weight op before the prediction output)     → fp32
 *   conditioning  (timestep embedding, pooled text and adaLN: ops    → fp32 compute; the weights
 *                  that do not see the latent and feed the t path)     may be stored int8 (W8A32)
 *   otherwise                                                         → int8 weights + uint8 input
 *
 * MatMuls of two activations (attention scores and values) and everything else (norms, softmax,
 * GELU, residual adds) are left fp32 with the reason. Unknown op types and weight ops whose weight
 * is computed at run time are refused by name: the rewrite would not know their semantics.
 */
import { StudioError } from '../../contract/errors';
import { SAMPLE_INPUT_NAMES } from '../runtime/pipeline-geometry';
import { dimsOf, type Graph, intAttr, type NodeProto, type TensorProto } from './onnx-model';

/** Op types the quantizer understands (everything the bundled DiT/UNet exports use, and kin). */
const KNOWN_OPS = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Exp', 'Log', 'Neg', 'Abs', 'Reciprocal', 'Erf', 'Tanh', 'Sigmoid', 'Relu', 'Gelu', 'Sin', 'Cos',
  'MatMul', 'Gemm', 'Conv', 'Softmax', 'LayerNormalization', 'GroupNormalization', 'InstanceNormalization', 'ReduceMean', 'ReduceSum',
  'Reshape', 'Transpose', 'Slice', 'Concat', 'Split', 'Squeeze', 'Unsqueeze', 'Flatten', 'Gather', 'Expand', 'Tile', 'Shape', 'Cast',
  'Constant', 'ConstantOfShape', 'Range', 'Identity', 'Where', 'Equal', 'Resize', 'Clip', 'Max', 'Min',
]);

const WEIGHT_OPS = new Set(['MatMul', 'Gemm', 'Conv']);

export type WeightDecision = 'w8a8' | 'weight-only' | 'fp32';

export interface WeightOp {
  node: NodeProto;
  opType: string;
  /** Name of the weight initializer. */
  weight: string;
  weightDims: number[];
  /** Output-channel axis of the weight (MatMul [K, N]: 1; Gemm transB=1: 0; Conv: 0). */
  axis: number;
  /** The activation input. */
  activation: string;
  decision: WeightDecision;
  reason: string;
}

export interface GraphPlan {
  weightOps: WeightOp[];
  /** Activation tensors that get a static uint8 Q/DQ pair (inputs of w8a8 ops), in graph order. */
  activations: string[];
  /** Non-weight op types left fp32, with counts and the reason. */
  fp32OpTypes: { opType: string; count: number; reason: string }[];
}

const FP32_REASONS: Record<string, string> = {
  LayerNormalization: 'norm: kept fp32 (no int8 kernel; sensitive to range)',
  GroupNormalization: 'norm: kept fp32 (no int8 kernel; sensitive to range)',
  InstanceNormalization: 'norm: kept fp32 (no int8 kernel; sensitive to range)',
  Softmax: 'attention softmax: kept fp32',
  MatMul: 'activation × activation (attention): kept fp32, no constant weight to quantize',
};

function outputChannelAxis(n: NodeProto, dims: number[]): number {
  if (n.opType === 'Conv') return 0;
  if (n.opType === 'Gemm') return intAttr(n, 'transB', 0) === 1 ? 0 : 1;
  return dims.length - 1;
}

/**
 * @param conditioningWeights 'int8' stores conditioning-path weights int8 (fp32 compute), 'fp32' keeps them as they are
 * @throws StudioError MODEL_LAYOUT naming unsupported ops or dynamic weights
 */
export function planGraph(graph: Graph, conditioningWeights: 'int8' | 'fp32'): GraphPlan {
  const unknown = [...new Set(graph.node.map((n) => n.opType).filter((t) => !KNOWN_OPS.has(t)))];
  if (unknown.length > 0) throw new StudioError('MODEL_LAYOUT', `The quantizer does not support op(s) ${unknown.join(', ')} in this graph; nothing was written.`);
  const inits = new Map<string, TensorProto>(graph.initializer.map((t) => [t.name, t]));
  const latentInput = graph.input.find((i) => (SAMPLE_INPUT_NAMES as readonly string[]).includes(i.name))?.name;
  if (latentInput === undefined) throw new StudioError('MODEL_LAYOUT', `The graph has no latent input (${SAMPLE_INPUT_NAMES.join(' or ')}).`);

  const dynamic = graph.node.filter((n) => (n.opType === 'Conv' || n.opType === 'Gemm') && !inits.has(n.input[1] as string)).map((n) => n.name || n.opType);
  if (dynamic.length > 0) throw new StudioError('MODEL_LAYOUT', `The quantizer needs constant weights, but ${dynamic.join(', ')} compute(s) them at run time; nothing was written.`);

  const latent = new Set<string>([latentInput]);
  const timed = new Set<string>(['timestep']);
  // Latent-path tensors downstream of a weight op (to find the first layer).
  const afterWeight = new Set<string>();
  const weightOpOf = (n: NodeProto) => WEIGHT_OPS.has(n.opType) && n.input.slice(0, 2).some((x) => inits.has(x));
  for (const n of graph.node) {
    const ins = n.input.filter((x) => x !== '');
    const isLatent = ins.some((x) => latent.has(x));
    const isTimed = ins.some((x) => timed.has(x));
    const passed = weightOpOf(n) || ins.some((x) => afterWeight.has(x));
    for (const o of n.output) {
      if (isLatent) latent.add(o);
      if (isTimed) timed.add(o);
      if (isLatent && passed) afterWeight.add(o);
    }
  }
  // Reverse pass: non-latent nodes whose result flows into the timestep path (adaLN conditioning).
  const feedsTime = new Set<string>();
  const conditioning = new Set<NodeProto>();
  for (const n of [...graph.node].reverse()) {
    if (n.output.some((o) => latent.has(o))) continue;
    const flag = n.output.some((o) => timed.has(o) || feedsTime.has(o));
    if (!flag) continue;
    conditioning.add(n);
    for (const x of n.input) feedsTime.add(x);
  }
  // Last layer: walk back from the prediction output until weight ops.
  const last = new Set<NodeProto>();
  const producer = new Map<string, NodeProto>();
  for (const n of graph.node) for (const o of n.output) producer.set(o, n);
  const stack = [graph.output[0]?.name as string];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const t = stack.pop() as string;
    if (seen.has(t)) continue;
    seen.add(t);
    const p = producer.get(t);
    if (p === undefined) continue;
    if (weightOpOf(p)) last.add(p);
    else stack.push(...p.input.filter((x) => latent.has(x)));
  }

  const weightOps: WeightOp[] = [];
  const fp32Counts = new Map<string, number>();
  for (const n of graph.node) {
    if (!weightOpOf(n)) {
      if (n.opType in FP32_REASONS) fp32Counts.set(n.opType, (fp32Counts.get(n.opType) ?? 0) + 1);
      continue;
    }
    const weightIndex = inits.has(n.input[1] as string) ? 1 : 0;
    const weight = n.input[weightIndex] as string;
    const dims = dimsOf(inits.get(weight) as TensorProto);
    const op = { node: n, opType: n.opType, weight, weightDims: dims, axis: outputChannelAxis(n, dims), activation: n.input[1 - weightIndex] as string };
    const [decision, reason] = decide(n, weightIndex, dims, { latent, afterWeight, conditioning, last }, conditioningWeights);
    weightOps.push({ ...op, decision, reason });
  }
  const activations = [...new Set(weightOps.filter((w) => w.decision === 'w8a8').map((w) => w.activation))];
  const fp32OpTypes = [...fp32Counts].map(([opType, count]) => ({ opType, count, reason: FP32_REASONS[opType] as string }));
  return { weightOps, activations, fp32OpTypes };
}

interface Paths {
  latent: Set<string>;
  afterWeight: Set<string>;
  conditioning: Set<NodeProto>;
  last: Set<NodeProto>;
}

function decide(n: NodeProto, weightIndex: number, dims: number[], p: Paths, conditioningWeights: 'int8' | 'fp32'): [WeightDecision, string] {
  const activation = n.input[1 - weightIndex] as string;
  if (p.conditioning.has(n)) {
    return conditioningWeights === 'int8'
      ? ['weight-only', 'timestep/adaLN conditioning path: fp32 compute, weights stored int8']
      : ['fp32', 'timestep/adaLN conditioning path'];
  }
  if (p.latent.has(activation) && !p.afterWeight.has(activation)) return ['fp32', 'first layer'];
  if (p.last.has(n)) return ['fp32', 'last layer'];
  if (weightIndex !== 1) return ['fp32', 'constant first operand: no per-channel int8 layout for it'];
  if (n.opType === 'MatMul' && dims.length !== 2) return ['fp32', `weight of rank ${dims.length}: only [K, N] MatMul weights are quantized`];
  if (n.opType === 'Gemm' && intAttr(n, 'transA', 0) !== 0) return ['fp32', 'Gemm with transA'];
  return ['w8a8', 'int8 weights (per output channel) and uint8 static input'];
}
