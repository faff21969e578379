/**
 * Reads just enough of an ONNX file's protobuf to check a pipeline before any session
 * is created: which external-data files its tensors point at, and the graph's input and
 * output signatures (names, element types, dims).
 *
 * Why not let onnxruntime find out? Loading a multi-gigabyte UNet takes seconds and fails
 * with opaque messages; this walk reads a few kilobytes with positional reads, skipping
 * every weight blob by its length prefix, so a 2 GB file with embedded weights costs the
 * same as a tiny one. A length prefix that runs past the end of the file means the file
 * is truncated, which is reported as such.
 *
 * Field numbers are from onnx/onnx.proto3 (ModelProto.graph = 7, GraphProto.initializer = 5,
 * TensorProto.external_data = 13, ...).
 */
import fs from 'node:fs';

/** A protobuf field that could not be read: the file ends early or is not protobuf at all. */
export class OnnxProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxProtoError';
  }
}

/** One tensor stored outside the .onnx file (TensorProto.data_location = EXTERNAL). */
export interface ExternalDataRef {
  /** Name of the initializer. */
  tensor: string;
  /** Path relative to the .onnx file's folder, as written in the model. */
  location: string;
  /** Byte offset and length in that file, when the model records them. */
  offset?: number;
  length?: number;
}

/** A graph input or output as declared in the model. Dims are numbers or symbolic names. */
export interface OnnxValueInfo {
  name: string;
  /** ONNX TensorProto.DataType name, e.g. 'float32', 'float16', 'int64'; 'unknown' for non-tensors. */
  type: string;
  dims: (number | string)[];
}

export interface OnnxSummary {
  externalData: ExternalDataRef[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const ELEM_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64',
  8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

/** Read-ahead per refill: small, because after skipping a weight blob only its neighbour's header is needed. */
const WINDOW = 8 * 1024;

/** Positional reader over a file with a small read-ahead window. */
class FileBytes {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  constructor(private readonly fd: number, readonly size: number) {}

  byteAt(pos: number): number {
    if (pos < this.windowStart || pos >= this.windowStart + this.window.length) {
      if (pos >= this.size) throw new OnnxProtoError(`unexpected end of file at byte ${pos}`);
      const len = Math.min(WINDOW, this.size - pos);
      const buf = Buffer.alloc(len);
      fs.readSync(this.fd, buf, 0, len, pos);
      this.window = buf;
      this.windowStart = pos;
    }
    return this.window[pos - this.windowStart] as number;
  }

  bytes(start: number, end: number): Buffer {
    const buf = Buffer.alloc(end - start);
    fs.readSync(this.fd, buf, 0, buf.length, start);
    return buf;
  }
}

/** Calls `visit` for each field of the message occupying [start, end). */
function walk(
  src: FileBytes,
  start: number,
  end: number,
  visit: (field: number, wire: number, valueStart: number, valueEnd: number, varint: number) => void,
): void {
  let pos = start;
  const readVarint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new OnnxProtoError(`varint runs past its message at byte ${pos}`);
      const b = src.byteAt(pos++);
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new OnnxProtoError(`malformed varint at byte ${pos}`);
  };
  while (pos < end) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new OnnxProtoError(`field number 0 at byte ${pos}`);
    let valueStart = pos;
    let varint = 0;
    switch (wire) {
      case 0:
        varint = readVarint();
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = readVarint();
        valueStart = pos;
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new OnnxProtoError(`unsupported wire type ${wire} at byte ${pos}`);
    }
    if (pos > end || pos > src.size) {
      throw new OnnxProtoError(`a field ends at byte ${pos}, past the end of the data (${Math.min(end, src.size)} bytes)`);
    }
    visit(field, wire, valueStart, pos, varint);
  }
}

function readString(src: FileBytes, start: number, end: number): string {
  return src.bytes(start, end).toString('utf8');
}

function readTensor(src: FileBytes, start: number, end: number, out: ExternalDataRef[]): void {
  let name = '';
  let external = false;
  const entries: Record<string, string> = {};
  walk(src, start, end, (field, wire, vs, ve, varint) => {
    if (field === 8 && wire === 2) name = readString(src, vs, ve);
    else if (field === 14 && wire === 0) external = varint === 1;
    else if (field === 13 && wire === 2) {
      let key = '';
      let value = '';
      walk(src, vs, ve, (f, w, s, e) => {
        if (f === 1 && w === 2) key = readString(src, s, e);
        else if (f === 2 && w === 2) value = readString(src, s, e);
      });
      entries[key] = value;
    }
  });
  if (!external || entries.location === undefined) return;
  const ref: ExternalDataRef = { tensor: name, location: entries.location };
  if (entries.offset !== undefined) ref.offset = Number(entries.offset);
  if (entries.length !== undefined) ref.length = Number(entries.length);
  out.push(ref);
}

function readValueInfo(src: FileBytes, start: number, end: number): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', type: 'unknown', dims: [] };
  walk(src, start, end, (field, wire, vs, ve) => {
    if (field === 1 && wire === 2) info.name = readString(src, vs, ve);
    else if (field === 2 && wire === 2) {
      // TypeProto.tensor_type = 1 → { elem_type = 1, shape = 2 → { dim = 1 → { dim_value = 1, dim_param = 2 } } }
      walk(src, vs, ve, (tf, tw, ts, te) => {
        if (tf !== 1 || tw !== 2) return;
        walk(src, ts, te, (f, w, s, e, v) => {
          if (f === 1 && w === 0) info.type = ELEM_TYPES[v] ?? `type-${v}`;
          else if (f === 2 && w === 2) {
            walk(src, s, e, (df, dw, ds, de) => {
              if (df !== 1 || dw !== 2) return;
              let dim: number | string = '?';
              walk(src, ds, de, (xf, xw, xs, xe, xv) => {
                if (xf === 1 && xw === 0) dim = xv;
                else if (xf === 2 && xw === 2) dim = readString(src, xs, xe);
              });
              info.dims.push(dim);
            });
          }
        });
      });
    }
  });
  return info;
}

function readGraph(src: FileBytes, start: number, end: number, out: OnnxSummary, top: boolean): void {
  walk(src, start, end, (field, wire, vs, ve) => {
    if (wire !== 2) return;
    if (field === 5) readTensor(src, vs, ve, out.externalData);
    else if (field === 15) readSparseTensor(src, vs, ve, out);
    else if (field === 1) readNode(src, vs, ve, out);
    else if (top && field === 11) out.inputs.push(readValueInfo(src, vs, ve));
    else if (top && field === 12) out.outputs.push(readValueInfo(src, vs, ve));
  });
}

function readSparseTensor(src: FileBytes, start: number, end: number, out: OnnxSummary): void {
  walk(src, start, end, (field, wire, vs, ve) => {
    if ((field === 1 || field === 2) && wire === 2) readTensor(src, vs, ve, out.externalData);
  });
}

/** Constant nodes and control-flow subgraphs (If/Loop/Scan) can hold tensors too. */
function readNode(src: FileBytes, start: number, end: number, out: OnnxSummary): void {
  walk(src, start, end, (field, wire, vs, ve) => {
    if (field !== 5 || wire !== 2) return;
    walk(src, vs, ve, (af, aw, as, ae) => {
      if (aw !== 2) return;
      if (af === 5 || af === 10) readTensor(src, as, ae, out.externalData);
      else if (af === 22 || af === 23) readSparseTensor(src, as, ae, out);
      else if (af === 6 || af === 11) readGraph(src, as, ae, out, false);
    });
  });
}

/**
 * Reads the external-data references and the I/O signature of an .onnx file.
 * @throws OnnxProtoError when the file is truncated or not protobuf; fs errors as thrown.
 */
export function readOnnxSummary(file: string): OnnxSummary {
  const fd = fs.openSync(file, 'r');
  try {
    const src = new FileBytes(fd, fs.fstatSync(fd).size);
    const out: OnnxSummary = { externalData: [], inputs: [], outputs: [] };
    let sawGraph = false;
    walk(src, 0, src.size, (field, wire, vs, ve) => {
      if (field === 7 && wire === 2) {
        sawGraph = true;
        readGraph(src, vs, ve, out, true);
      }
    });
    if (!sawGraph) throw new OnnxProtoError('no graph found (ModelProto.graph is missing)');
    return out;
  } finally {
    fs.closeSync(fd);
  }
}
