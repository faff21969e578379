/**
 * `POST /v2/models/{name}/infer` as the reference server reads it: the JSON header (and the
 * binary section after Inference-Header-Content-Length bytes, when present), checked against
 * the model's declared inputs and outputs before anything runs. Every problem is an HttpError
 * 400 naming the tensor, what was sent and what the model declares.
 */
import { formatDims, type HostTensor } from '../runtime/host-tensor';
import { decodeTensors, unframeBody } from '../runtime/remote-codec';
import { V2FormatError } from '../runtime/remote-tensor-data';
import { v2Datatype } from '../runtime/remote-datatypes';
import type { ModelRunner } from '../runtime/runner';
import { HttpError } from './http-io';

export interface InferRequest {
  /** The client's request id, echoed in the answer. */
  id?: string;
  feeds: Record<string, HostTensor>;
  /** Outputs to return, in the order asked, each as binary or JSON data. */
  outputs: { name: string; binary: boolean }[];
}

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every declared input present, of the declared datatype and fixed dims; one size per symbolic dim name. */
function checkInputs(runner: ModelRunner, feeds: Record<string, HostTensor>): void {
  const declared = runner.inputs.map((i) => i.name).join(', ');
  const symbols = new Map<string, { size: number; input: string }>();
  for (const [name, t] of Object.entries(feeds)) {
    const info = runner.inputs.find((i) => i.name === name);
    if (!info) throw bad(`unknown input "${name}"; the model takes ${declared}`);
    const fits = info.dims.length === t.dims.length && info.dims.every((d, k) => typeof d === 'string' || d === t.dims[k]);
    if (info.type !== t.type || !fits) {
      throw bad(`input "${name}" is ${v2Datatype(t.type)}${formatDims(t.dims)} but the model declares ${v2Datatype(info.type) ?? info.type}${formatDims(info.dims.map((d) => (typeof d === 'number' ? d : -1)))}`);
    }
    info.dims.forEach((d, k) => {
      if (typeof d !== 'string') return;
      const size = t.dims[k] as number;
      const seen = symbols.get(d);
      if (seen && seen.size !== size) throw bad(`input "${name}" dim ${k} (${d}) is ${size} but input "${seen.input}" has ${d} = ${seen.size}`);
      symbols.set(d, { size, input: name });
    });
  }
  const missing = runner.inputs.filter((i) => !(i.name in feeds)).map((i) => i.name);
  if (missing.length > 0) throw bad(`missing input(s) ${missing.join(', ')}; the model takes ${declared}`);
}

/** Which outputs to return: those listed (default all declared), binary per output or by `binary_data_output`. */
function readOutputs(runner: ModelRunner, list: unknown, binaryDefault: boolean): InferRequest['outputs'] {
  if (list === undefined) return runner.outputs.map((o) => ({ name: o.name, binary: binaryDefault }));
  if (!Array.isArray(list)) throw bad('"outputs" must be a list');
  const declared = runner.outputs.map((o) => o.name);
  return list.map((o) => {
    if (!isRecord(o) || typeof o.name !== 'string') throw bad('each requested output needs a string "name"');
    if (!declared.includes(o.name)) throw bad(`unknown output "${o.name}"; the model has ${declared.join(', ')}`);
    const binary = isRecord(o.parameters) && typeof o.parameters.binary_data === 'boolean' ? o.parameters.binary_data : binaryDefault;
    return { name: o.name, binary };
  });
}

/**
 * Parses and checks an infer body.
 * @param headerLength the Inference-Header-Content-Length header (absent: a JSON-only request)
 * @throws HttpError 400
 */
export function parseInferRequest(runner: ModelRunner, body: Buffer, headerLength: string | undefined): InferRequest {
  try {
    const { header, binary } = unframeBody(body, headerLength);
    if (header.id !== undefined && typeof header.id !== 'string') throw bad('"id" must be a string');
    const params = isRecord(header.parameters) ? header.parameters : {};
    const feeds: Record<string, HostTensor> = {};
    for (const t of decodeTensors(header.inputs, binary, 'input')) feeds[t.name] = t.tensor;
    checkInputs(runner, feeds);
    const outputs = readOutputs(runner, header.outputs, params.binary_data_output === true);
    return { ...(header.id === undefined ? {} : { id: header.id }), feeds, outputs };
  } catch (err) {
    if (err instanceof V2FormatError) throw bad(err.message);
    throw err;
  }
}
