/**
 * A Triton `config.pbtxt` (protobuf text format of ModelConfig) for an ONNX model, written
 * from the graph's declared inputs and outputs so Triton can load it with auto-complete off.
 *
 * max_batch_size 0: `dims` are the full shapes as the graph declares them (batch included),
 * -1 for every symbolic dim. Triton refuses rank-0 tensors in such a model, so a scalar input
 * (a timestep declared []) is refused here with the reason rather than by Triton at load.
 */
import { StudioError } from '../../contract/errors';
import type { OnnxValueInfo } from '../runtime/onnx-proto';

/** Triton's TYPE_* for ONNX element type names. */
const TRITON_TYPES: Readonly<Record<string, string>> = {
  float32: 'TYPE_FP32', float16: 'TYPE_FP16', float64: 'TYPE_FP64', bfloat16: 'TYPE_BF16',
  int8: 'TYPE_INT8', int16: 'TYPE_INT16', int32: 'TYPE_INT32', int64: 'TYPE_INT64',
  uint8: 'TYPE_UINT8', uint16: 'TYPE_UINT16', uint32: 'TYPE_UINT32', uint64: 'TYPE_UINT64',
  bool: 'TYPE_BOOL', string: 'TYPE_STRING',
};

/** 'TYPE_FP32' for 'float32'. @throws StudioError MODEL_LAYOUT for a type Triton has no name for */
export function tritonType(label: string, t: OnnxValueInfo): string {
  const type = TRITON_TYPES[t.type];
  if (type === undefined) throw new StudioError('MODEL_LAYOUT', `${label} tensor "${t.name}" has type ${t.type}, which Triton cannot serve.`, label);
  return type;
}

/** A protobuf text string literal. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function tensorBlock(label: string, t: OnnxValueInfo): string {
  if (t.dims.length === 0) {
    throw new StudioError('MODEL_LAYOUT', `${label} tensor "${t.name}" is a rank-0 scalar; Triton needs rank ≥ 1 when max_batch_size is 0 (export it as [1] or [batch]).`, label);
  }
  const dims = t.dims.map((d) => (typeof d === 'number' ? String(d) : '-1')).join(', ');
  return `  {\n    name: ${quote(t.name)}\n    data_type: ${tritonType(label, t)}\n    dims: [ ${dims} ]\n  }`;
}

/**
 * The config text.
 * @param name the model's folder name in the repository (Triton requires them equal)
 * @param label the source file, for messages and the header comment
 */
export function tritonConfig(name: string, label: string, io: { inputs: readonly OnnxValueInfo[]; outputs: readonly OnnxValueInfo[] }): string {
  return [
    `# ${label}, exported by "studio export-triton": tensors as the ONNX graph declares them, -1 = variable.`,
    `name: ${quote(name)}`,
    'platform: "onnxruntime_onnx"',
    'backend: "onnxruntime"',
    'max_batch_size: 0',
    `input [\n${io.inputs.map((t) => tensorBlock(label, t)).join(',\n')}\n]`,
    `output [\n${io.outputs.map((t) => tensorBlock(label, t)).join(',\n')}\n]`,
    '',
  ].join('\n');
}
