/**
 * Reading and writing whole ONNX models through the onnx-proto schema (protobufjs), for the
 * quantizer. External-data initializers are pulled into memory on load, so a graph can be
 * rewritten and encoded as one self-contained model.onnx (int8 weights of the bundled denoisers
 * are a few MB, far from protobuf's 2 GB single-buffer limit).
 */
import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { StudioError } from '../../contract/errors';

export type ModelProto = onnx.ModelProto;
export type NodeProto = onnx.NodeProto;
export type TensorProto = onnx.TensorProto;

/** A decoded graph: protobufjs fills every repeated field, so the lists are never absent. */
export interface Graph {
  node: NodeProto[];
  initializer: TensorProto[];
  input: onnx.ValueInfoProto[];
  output: onnx.ValueInfoProto[];
}

export function graphOf(model: ModelProto): Graph {
  return model.graph as unknown as Graph;
}

export const DataType = onnx.TensorProto.DataType;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

/**
 * Loads `file` and every external-data blob it names (from the same folder).
 * @throws StudioError MODEL_NOT_FOUND | MODEL_CORRUPT
 */
export function loadModel(file: string): ModelProto {
  if (!fs.existsSync(file)) throw new StudioError('MODEL_NOT_FOUND', `${file} does not exist.`, file);
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(fs.readFileSync(file));
  } catch (err) {
    throw new StudioError('MODEL_CORRUPT', `${file} is not a readable ONNX model: ${err instanceof Error ? err.message : String(err)}.`, file);
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) throw new StudioError('MODEL_CORRUPT', `${file} holds no graph.`, file);
  const blobs = new Map<string, Buffer>();
  for (const t of graphOf(model).initializer) {
    if (t.dataLocation !== EXTERNAL) continue;
    const kv: Record<string, string | undefined> = Object.fromEntries((t.externalData ?? []).map((e) => [e.key, e.value]));
    const location = kv.location;
    if (location === undefined || path.basename(location) !== location) throw new StudioError('MODEL_CORRUPT', `${file}: initializer ${t.name} has an external-data location this reader does not follow ("${location}").`, file);
    let blob = blobs.get(location);
    if (blob === undefined) {
      const blobFile = path.join(path.dirname(file), location);
      if (!fs.existsSync(blobFile)) throw new StudioError('MODEL_CORRUPT', `${file} names external data ${location}, which is missing.`, file);
      blob = fs.readFileSync(blobFile);
      blobs.set(location, blob);
    }
    const offset = Number(kv.offset ?? 0);
    const length = kv.length === undefined ? blob.length - offset : Number(kv.length);
    if (offset + length > blob.length) throw new StudioError('MODEL_CORRUPT', `${file}: initializer ${t.name} reaches past the end of ${location} (truncated?).`, file);
    t.rawData = new Uint8Array(blob.subarray(offset, offset + length));
    t.externalData = [];
    t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
  }
  return model;
}

export function encodeModel(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** A deep copy (encode → decode), so a rewrite never touches the source model. */
export function cloneModel(model: ModelProto): ModelProto {
  return onnx.ModelProto.decode(encodeModel(model));
}

export function dimsOf(t: TensorProto): number[] {
  return t.dims.map((d) => Number(d));
}

/** float32 values of an initializer (raw little-endian bytes or float_data). @throws StudioError MODEL_CORRUPT on other types */
export function floatsOf(t: TensorProto): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new StudioError('MODEL_CORRUPT', `initializer ${t.name} is not float32 (data type ${t.dataType}).`);
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData);
    return new Float32Array(copy.buffer, 0, copy.length / 4);
  }
  return Float32Array.from(t.floatData);
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export function tensor(name: string, dataType: number, dims: readonly number[], data: ArrayBufferView): TensorProto {
  return onnx.TensorProto.create({ name, dataType, dims: [...dims], rawData: bytesOf(data) });
}

export function node(opType: string, inputs: string[], outputs: string[], name: string, attrs: { name: string; i: number }[] = []): NodeProto {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name,
    attribute: attrs.map((a) => onnx.AttributeProto.create({ name: a.name, type: onnx.AttributeProto.AttributeType.INT, i: a.i })),
  });
}

export function intAttr(n: NodeProto, name: string, fallback: number): number {
  const a = n.attribute.find((x) => x.name === name);
  return a === undefined ? fallback : Number(a.i);
}

/** A float32 graph output with unknown shape (for exposing intermediate tensors). */
export function floatOutput(name: string): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DataType.FLOAT } } });
}

/** The default-domain opset the model imports (0 when none). */
export function defaultOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry === undefined ? 0 : Number(entry.version);
}
