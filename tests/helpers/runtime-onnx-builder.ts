/**
 * Writes small, real ONNX models for tests that need an export variant the fixture does
 * not have (float16 tensors, int64/int32 or scalar timesteps, fixed batch 1).
 *
 * A minimal protobuf encoder for the ModelProto fields used here (onnx.proto3 field
 * numbers). The models are run by onnxruntime like any other; nothing is mocked.
 */

type Bytes = number[];

function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

const key = (field: number, wire: number): Bytes => varint(field * 8 + wire);
const int = (field: number, n: number | bigint): Bytes => [...key(field, 0), ...varint(n)];
const bytes = (field: number, data: Bytes | Uint8Array): Bytes => [...key(field, 2), ...varint(data.length), ...data];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, 'utf8')]);

/** ONNX TensorProto.DataType codes. */
export const ELEM = { float32: 1, int32: 6, int64: 7, float16: 10 } as const;
export type ElemName = keyof typeof ELEM;

export interface ValueSpec {
  name: string;
  type: ElemName;
  dims: (number | string)[];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes only (e.g. Cast's `to`). */
  ints?: Record<string, number>;
}

export interface InitializerSpec {
  name: string;
  type: 'int64';
  dims: number[];
  values: number[];
}

function valueInfo(v: ValueSpec): Bytes {
  const dims = v.dims.map((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const shape = bytes(2, dims.flat());
  const tensorType = bytes(1, [...int(1, ELEM[v.type]), ...shape]);
  return [...str(1, v.name), ...bytes(2, tensorType)];
}

function node(n: NodeSpec, index: number): Bytes {
  const attrs = Object.entries(n.ints ?? {}).map(([name, value]) => bytes(5, [...str(1, name), ...int(3, value), ...int(20, 2)]));
  return [...n.inputs.flatMap((i) => str(1, i)), ...n.outputs.flatMap((o) => str(2, o)), ...str(3, `n${index}`), ...str(4, n.op), ...attrs.flat()];
}

function initializer(t: InitializerSpec): Bytes {
  const raw = Buffer.alloc(t.values.length * 8);
  t.values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
  return [...t.dims.flatMap((d) => int(1, d)), ...int(2, ELEM[t.type]), ...str(8, t.name), ...bytes(9, raw)];
}

/** Serialized ModelProto (IR 8, default opset 17). */
export function buildOnnxModel(spec: { inputs: ValueSpec[]; outputs: ValueSpec[]; nodes: NodeSpec[]; initializers?: InitializerSpec[] }): Buffer {
  const graph = [
    ...spec.nodes.flatMap((n, i) => bytes(1, node(n, i))),
    ...str(2, 'test-graph'),
    ...(spec.initializers ?? []).flatMap((t) => bytes(5, initializer(t))),
    ...spec.inputs.flatMap((v) => bytes(11, valueInfo(v))),
    ...spec.outputs.flatMap((v) => bytes(12, valueInfo(v))),
  ];
  const opset = bytes(8, [...str(1, ''), ...int(2, 17)]);
  return Buffer.from([...int(1, 8), ...str(2, 'diffusion-studio-tests'), ...opset, ...bytes(7, graph)]);
}

/**
 * A stand-in denoiser whose prediction is exactly `sample + timestep` (broadcast), so a
 * test can check that latents, timestep value, dtypes and batch all crossed the boundary.
 * `encoder_hidden_states` is declared (as real exports do) and checked for shape by ORT.
 */
export function sumDenoiserModel(opts: { sampleType: 'float32' | 'float16'; timestepType: ElemName; timestepDims: (number | string)[]; batch: number | string }): Buffer {
  const { sampleType, batch } = opts;
  return buildOnnxModel({
    inputs: [
      { name: 'sample', type: sampleType, dims: [batch, 4, 8, 8] },
      { name: 'timestep', type: opts.timestepType, dims: opts.timestepDims },
      { name: 'encoder_hidden_states', type: sampleType, dims: [batch, 'sequence', 32] },
    ],
    outputs: [{ name: 'out_sample', type: sampleType, dims: [batch, 4, 8, 8] }],
    initializers: [{ name: 'shape', type: 'int64', dims: [4], values: [-1, 1, 1, 1] }],
    nodes: [
      { op: 'Cast', inputs: ['timestep'], outputs: ['t_cast'], ints: { to: ELEM[sampleType] } },
      { op: 'Reshape', inputs: ['t_cast', 'shape'], outputs: ['t_4d'] },
      { op: 'Add', inputs: ['sample', 't_4d'], outputs: ['out_sample'] },
    ],
  });
}
