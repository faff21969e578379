/**
 * Open Inference Protocol (KServe v2) tensor metadata ⇄ the studio's ValueInfo.
 *
 * v2 names element types FP32, FP16, INT32, INT64, ... and writes a variable dim as -1; the
 * studio uses ONNX type names ('float32') and symbolic dim names ('batch'). Both the remote
 * runner (client) and the reference server (main/serving) translate through here, so the two
 * sides cannot disagree on a name.
 */
import type { TensorType, ValueInfo } from './host-tensor';

/** v2 datatype of each ONNX element type name (those a v2 server can carry). */
const V2_OF_ONNX: Readonly<Record<string, string>> = {
  float32: 'FP32', float16: 'FP16', float64: 'FP64', bfloat16: 'BF16',
  int8: 'INT8', int16: 'INT16', int32: 'INT32', int64: 'INT64',
  uint8: 'UINT8', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64',
  bool: 'BOOL', string: 'BYTES',
};

/** The element types a HostTensor holds, by v2 datatype, with their size in bytes. */
const HOST_TYPES: Readonly<Record<string, { type: TensorType; bytes: number }>> = {
  FP32: { type: 'float32', bytes: 4 },
  FP16: { type: 'float16', bytes: 2 },
  INT32: { type: 'int32', bytes: 4 },
  INT64: { type: 'int64', bytes: 8 },
};

/** A symbolic dim of a remote model: v2 metadata carries no names, only -1. */
export const DYNAMIC_DIM = 'dynamic';

/** 'FP32' for 'float32'; undefined for types v2 has no name for. */
export function v2Datatype(onnxType: string): string | undefined {
  return V2_OF_ONNX[onnxType];
}

/** 'float32' for 'FP32'; undefined for a datatype outside the v2 list. */
export function onnxTypeOf(datatype: string): string | undefined {
  return Object.entries(V2_OF_ONNX).find(([, v]) => v === datatype)?.[0];
}

/** The HostTensor type and element size of a v2 datatype, or undefined when the studio cannot hold it. */
export function hostTypeOf(datatype: string): { type: TensorType; bytes: number } | undefined {
  return HOST_TYPES[datatype];
}

/** One tensor in v2 model metadata: `{"name","datatype","shape"}` with -1 for a variable dim. */
export interface V2TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** ValueInfo → v2 metadata; symbolic dims become -1. Non-tensor values have no v2 form (undefined). */
export function toV2Metadata(info: ValueInfo): V2TensorMetadata | undefined {
  const datatype = v2Datatype(info.type);
  if (datatype === undefined) return undefined;
  return { name: info.name, datatype, shape: info.dims.map((d) => (typeof d === 'number' ? d : -1)) };
}

/** v2 metadata → ValueInfo; -1 becomes the symbolic dim DYNAMIC_DIM, unknown datatypes keep their v2 name. */
export function fromV2Metadata(meta: V2TensorMetadata): ValueInfo {
  return {
    name: meta.name,
    type: onnxTypeOf(meta.datatype) ?? meta.datatype,
    dims: meta.shape.map((d) => (d < 0 ? DYNAMIC_DIM : d)),
  };
}
