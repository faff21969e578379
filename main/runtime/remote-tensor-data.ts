/**
 * Tensor values as the Open Inference Protocol carries them, one tensor at a time: raw
 * little-endian bytes (Triton's binary extension) or JSON `data` numbers. Bytes keep floats
 * exact, NaN included (JSON writes NaN and ±Inf as null), at 4 bytes per FP32 value instead of
 * ~10 characters. Framing a whole message is remote-codec.ts's job.
 */
import os from 'node:os';
import { fromFloat16Array, toFloat16Array } from './float16';
import { elementCount, formatDims, type HostTensor, type TensorValues } from './host-tensor';
import { hostTypeOf } from './remote-datatypes';

/** A message or tensor that does not follow the v2 format. */
export class V2FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'V2FormatError';
  }
}

/** Typed arrays are host-endian; the wire is little-endian, so big-endian hosts swap bytes. */
const HOST_IS_LITTLE_ENDIAN = os.endianness() === 'LE';
/** Nesting allowed in JSON `data` (a [B,C,H,W,F] tensor nests 5 deep). */
const MAX_DATA_DEPTH = 16;

function swapInPlace(bytes: Buffer, elementBytes: number): void {
  if (elementBytes === 2) bytes.swap16();
  else if (elementBytes === 4) bytes.swap32();
  else if (elementBytes === 8) bytes.swap64();
}

/** The tensor's values as little-endian bytes (a view of its data on little-endian hosts). */
export function tensorBytes(t: HostTensor): Buffer {
  const view = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) return view;
  const copy = Buffer.from(view);
  swapInPlace(copy, t.data.BYTES_PER_ELEMENT);
  return copy;
}

function typedArrayOver(type: HostTensor['type'], buffer: ArrayBuffer): TensorValues {
  if (type === 'float32') return new Float32Array(buffer);
  if (type === 'float16') return new Uint16Array(buffer);
  if (type === 'int32') return new Int32Array(buffer);
  return new BigInt64Array(buffer);
}

/**
 * Little-endian bytes → a HostTensor. The bytes are copied into a fresh buffer: a slice of a
 * received body sits at any offset, and a Float32Array view needs a multiple of 4.
 */
export function tensorFromBytes(name: string, datatype: string, shape: readonly number[], bytes: Uint8Array): HostTensor {
  const host = hostTypeOf(datatype);
  if (!host) throw new V2FormatError(`tensor "${name}" has datatype ${datatype}; supported: FP32, FP16, INT32, INT64.`);
  const count = elementCount(shape);
  if (bytes.byteLength !== count * host.bytes) {
    throw new V2FormatError(`tensor "${name}" ${datatype}${formatDims(shape)} needs ${count * host.bytes} bytes but has ${bytes.byteLength}.`);
  }
  const own = new Uint8Array(bytes.byteLength);
  own.set(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) swapInPlace(Buffer.from(own.buffer), host.bytes);
  return { type: host.type, dims: [...shape], data: typedArrayOver(host.type, own.buffer) };
}

/** JSON `data` (flat, or nested row-major) as a flat list, refusing anything but numbers and null. */
function flatten(name: string, data: unknown[]): (number | null)[] {
  const out: (number | null)[] = [];
  const walk = (list: unknown[], depth: number): void => {
    if (depth > MAX_DATA_DEPTH) throw new V2FormatError(`tensor "${name}" data nests deeper than ${MAX_DATA_DEPTH} levels.`);
    for (const v of list) {
      if (Array.isArray(v)) walk(v, depth + 1);
      else if (typeof v === 'number' || v === null) out.push(v);
      else throw new V2FormatError(`tensor "${name}" data holds a ${typeof v}; expected numbers.`);
    }
  };
  walk(data, 0);
  return out;
}

/** JSON `data` → a HostTensor. Floats: null reads as NaN (JSON cannot write NaN). Integers must be whole and in range. */
export function tensorFromJson(name: string, datatype: string, shape: readonly number[], data: unknown[]): HostTensor {
  const host = hostTypeOf(datatype);
  if (!host) throw new V2FormatError(`tensor "${name}" has datatype ${datatype}; supported: FP32, FP16, INT32, INT64.`);
  const values = flatten(name, data);
  const count = elementCount(shape);
  if (values.length !== count) throw new V2FormatError(`tensor "${name}" ${datatype}${formatDims(shape)} needs ${count} values but data has ${values.length}.`);
  if (host.type === 'float32' || host.type === 'float16') {
    const f = Float32Array.from(values, (v) => (v === null ? NaN : v));
    return { type: host.type, dims: [...shape], data: host.type === 'float32' ? f : toFloat16Array(f) };
  }
  const limit = host.type === 'int32' ? 2 ** 31 : Number.MAX_SAFE_INTEGER;
  for (const v of values) {
    if (v === null || !Number.isInteger(v) || Math.abs(v) > limit) {
      throw new V2FormatError(`tensor "${name}" ${datatype} data holds ${String(v)}, not an integer in range.`);
    }
  }
  const ints = values as number[];
  return host.type === 'int32'
    ? { type: 'int32', dims: [...shape], data: Int32Array.from(ints) }
    : { type: 'int64', dims: [...shape], data: BigInt64Array.from(ints, (v) => BigInt(v)) };
}

/** A HostTensor as flat JSON numbers (float16 widened exactly; NaN/±Inf become null in JSON). */
export function tensorToJson(t: HostTensor): number[] {
  if (t.type === 'float16') return Array.from(fromFloat16Array(t.data as Uint16Array));
  if (t.data instanceof BigInt64Array) return Array.from(t.data, (v) => Number(v));
  return Array.from(t.data as Float32Array | Int32Array);
}

