/**
 * Plain tensors that cross the onnxruntime boundary: typed array + dims + ONNX dtype name.
 *
 * Nothing outside main/runtime/ort.ts touches onnxruntime-node objects; components build
 * HostTensors here and get HostTensors back. The pipeline computes in float32 and these
 * helpers convert to whatever element type a model declares (float16 as binary16 bits in a
 * Uint16Array, int64 as BigInt64Array), which is how diffusers' Python pipeline adapts to
 * different exports of the same model.
 */
import { StudioError } from '../../contract/errors';
import { fromFloat16Array, toFloat16Array } from './float16';

/** Element types the studio feeds and reads. */
export type TensorType = 'float32' | 'float16' | 'int32' | 'int64';
export type TensorValues = Float32Array | Uint16Array | Int32Array | BigInt64Array;

export interface HostTensor {
  type: TensorType;
  /** Row-major dims; product equals data.length. */
  dims: readonly number[];
  data: TensorValues;
}

/** One declared model input or output: dims are sizes or symbolic names ('batch', 'unk__12'). */
export interface ValueInfo {
  name: string;
  /** ONNX element type name as onnxruntime reports it ('float32', 'float16', 'int64', ...). */
  type: string;
  dims: readonly (number | string)[];
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function formatDims(dims: readonly (number | string)[]): string {
  return `[${dims.join(',')}]`;
}

function checkCount(values: { length: number }, dims: readonly number[]): void {
  const n = elementCount(dims);
  if (values.length !== n) {
    throw new StudioError('INTERNAL', `Tensor data has ${values.length} elements but dims ${formatDims(dims)} need ${n}.`);
  }
}

/**
 * Float values as a tensor of the model's float type ('float32' or 'float16').
 * @param values float32 host data, length = product(dims)
 */
export function floatTensor(type: string, values: Float32Array, dims: readonly number[]): HostTensor {
  checkCount(values, dims);
  if (type === 'float32') return { type, dims, data: values };
  if (type === 'float16') return { type, dims, data: toFloat16Array(values) };
  throw new StudioError('MODEL_LAYOUT', `Expected a float32 or float16 input, but the model declares ${type}.`);
}

/**
 * Integer ids (token ids) as an int32 or int64 tensor.
 * @param values integers, length = product(dims)
 */
export function intTensor(type: string, values: ArrayLike<number>, dims: readonly number[]): HostTensor {
  checkCount(values, dims);
  if (type === 'int32') return { type, dims, data: Int32Array.from(values) };
  if (type === 'int64') {
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i] as number);
    return { type, dims, data };
  }
  throw new StudioError('MODEL_LAYOUT', `Expected an int32 or int64 input, but the model declares ${type}.`);
}

/**
 * A number (a timestep) as a tensor of any of the four supported types. Integer types take
 * the nearest integer: schedulers with integer timesteps pass them unchanged, and a model
 * exported with an integer timestep was trained on integers.
 */
export function numericTensor(type: string, values: ArrayLike<number>, dims: readonly number[]): HostTensor {
  if (type === 'float32' || type === 'float16') return floatTensor(type, Float32Array.from(values), dims);
  return intTensor(type, Array.from(values, (v) => Math.round(v)), dims);
}

/** Any float output as float32 (float16 bits are widened exactly). */
export function toFloat32(t: HostTensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  if (t.type === 'float16' && t.data instanceof Uint16Array) return fromFloat16Array(t.data);
  throw new StudioError('INTERNAL', `Expected a float output but got ${t.type}${formatDims(t.dims)}.`);
}

/** "sample float32[2,4,8,8]" — how inputs are named in errors (never the data). */
export function describeTensor(name: string, t: HostTensor): string {
  return `${name} ${t.type}${formatDims(t.dims)}`;
}

/** One array holding `parts` end to end (batch chunks of one output); the part itself when there is one. */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0] as Float32Array;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
