/**
 * Messages of the Open Inference Protocol (KServe v2 REST) with Triton's binary tensor data
 * extension, shared by the remote runner and the reference server.
 *
 * A message is a JSON header, optionally followed by raw tensor bytes:
 *
 *   [ JSON header: Inference-Header-Content-Length bytes ][ tensor 0 bytes ][ tensor 1 bytes ]…
 *
 * Each tensor entry ({"name","datatype","shape"}) carries either `data` (flat or nested JSON
 * numbers, row-major) or `parameters.binary_data_size` N: its next N bytes of the binary
 * section, in the order of the entries (remote-tensor-data.ts reads and writes the values).
 *
 * Anything malformed throws V2FormatError with a message naming the tensor; the server answers
 * it with 400, the client reports it as REMOTE_PROTOCOL.
 */
import { formatDims, type HostTensor } from './host-tensor';
import { v2Datatype } from './remote-datatypes';
import { tensorBytes, tensorFromBytes, tensorFromJson, tensorToJson, V2FormatError } from './remote-tensor-data';

/** One tensor entry of a v2 message's `inputs` or `outputs`. */
export interface V2TensorEntry {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, unknown>;
  data?: unknown[];
}

/** A tensor read from a message, with the entry's parameters (e.g. `binary_data`). */
export interface DecodedTensor {
  name: string;
  tensor: HostTensor;
  parameters: Record<string, unknown>;
}

/** Largest tensor one message may declare, in elements (2^31: typed-array lengths stay safe). */
const MAX_ELEMENTS = 2 ** 31;

/**
 * Entries and binary parts for a list of tensors; `binary` picks, per tensor, raw bytes
 * (`binary_data_size`) or JSON `data`.
 */
export function encodeTensors(tensors: readonly { name: string; tensor: HostTensor; binary: boolean }[]): { entries: V2TensorEntry[]; parts: Buffer[] } {
  const entries: V2TensorEntry[] = [];
  const parts: Buffer[] = [];
  for (const { name, tensor, binary } of tensors) {
    const datatype = v2Datatype(tensor.type) as string;
    const shape = [...tensor.dims];
    if (binary) {
      const bytes = tensorBytes(tensor);
      entries.push({ name, datatype, shape, parameters: { binary_data_size: bytes.byteLength } });
      parts.push(bytes);
    } else {
      entries.push({ name, datatype, shape, data: tensorToJson(tensor) });
    }
  }
  return { entries, parts };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new V2FormatError(`tensor "${name}" needs "shape": a list of non-negative integers (got ${JSON.stringify(shape)?.slice(0, 80)}).`);
  }
  if (shape.reduce((a: number, b: number) => a * b, 1) > MAX_ELEMENTS) throw new V2FormatError(`tensor "${name}" shape ${formatDims(shape)} is too large.`);
  return shape as number[];
}

/**
 * Reads a message's `inputs` or `outputs` list against its binary section: binary tensors take
 * consecutive slices in list order, and every byte of the section must be used.
 * @param list the parsed `inputs`/`outputs` value
 * @param binary the bytes after the JSON header (empty for a JSON-only message)
 * @param what 'input' or 'output', for messages
 */
export function decodeTensors(list: unknown, binary: Uint8Array, what: string): DecodedTensor[] {
  if (!Array.isArray(list)) throw new V2FormatError(`"${what}s" must be a list of tensors.`);
  const out: DecodedTensor[] = [];
  let offset = 0;
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.datatype !== 'string') {
      throw new V2FormatError(`each ${what} needs a string "name" and "datatype".`);
    }
    const { name, datatype } = entry;
    if (out.some((t) => t.name === name)) throw new V2FormatError(`${what} "${name}" appears twice.`);
    const shape = readShape(name, entry.shape);
    const parameters = isRecord(entry.parameters) ? entry.parameters : {};
    const size = parameters.binary_data_size;
    if (size !== undefined && entry.data !== undefined) throw new V2FormatError(`${what} "${name}" has both "data" and "binary_data_size".`);
    let tensor: HostTensor;
    if (size !== undefined) {
      if (!Number.isSafeInteger(size) || (size as number) < 0) throw new V2FormatError(`${what} "${name}" binary_data_size must be a non-negative integer.`);
      const end = offset + (size as number);
      if (end > binary.byteLength) throw new V2FormatError(`${what} "${name}" claims ${size as number} bytes at offset ${offset}, but the binary section has ${binary.byteLength}.`);
      tensor = tensorFromBytes(name, datatype, shape, binary.subarray(offset, end));
      offset = end;
    } else if (Array.isArray(entry.data)) {
      tensor = tensorFromJson(name, datatype, shape, entry.data);
    } else {
      throw new V2FormatError(`${what} "${name}" has neither "data" nor parameters.binary_data_size.`);
    }
    out.push({ name, tensor, parameters });
  }
  if (offset !== binary.byteLength) throw new V2FormatError(`the binary section has ${binary.byteLength} bytes but the ${what}s use ${offset}.`);
  return out;
}

/** Header + parts as one body; `headerLength` goes in the Inference-Header-Content-Length header. */
export function frameBody(header: unknown, parts: readonly Buffer[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return { body: parts.length === 0 ? json : Buffer.concat([json, ...parts]), headerLength: json.byteLength };
}

/**
 * A received body split into its parsed JSON header and binary section.
 * @param headerLength the Inference-Header-Content-Length header; absent = the whole body is JSON
 */
export function unframeBody(body: Buffer, headerLength: string | undefined): { header: Record<string, unknown>; binary: Buffer } {
  let jsonEnd = body.byteLength;
  if (headerLength !== undefined) {
    const n = Number(headerLength);
    if (!/^\d+$/.test(headerLength.trim()) || n > body.byteLength) {
      throw new V2FormatError(`Inference-Header-Content-Length is ${JSON.stringify(headerLength.slice(0, 20))} but the body has ${body.byteLength} bytes.`);
    }
    jsonEnd = n;
  }
  let header: unknown;
  try {
    header = JSON.parse(body.subarray(0, jsonEnd).toString('utf8'));
  } catch (err) {
    throw new V2FormatError(`the JSON header does not parse: ${(err as Error).message.slice(0, 120)}.`);
  }
  if (!isRecord(header)) throw new V2FormatError('the JSON header is not an object.');
  return { header, binary: body.subarray(jsonEnd) };
}
