/**
 * Reading a server's model metadata (`GET /v2/models/{name}`) into the runner's declared
 * inputs and outputs, and checking feeds and answers against them (the remote twin of the
 * checks OrtRunner makes before a run).
 */
import { StudioError } from '../../contract/errors';
import { formatDims, type HostTensor, type ValueInfo } from './host-tensor';
import { fromV2Metadata } from './remote-datatypes';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tensorList(endpoint: string, list: unknown, key: string): ValueInfo[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new StudioError('REMOTE_PROTOCOL', `${endpoint} model metadata has no "${key}" list; is this a v2 (Open Inference Protocol) server?`, endpoint);
  }
  return list.map((t) => {
    const ok = isRecord(t) && typeof t.name === 'string' && typeof t.datatype === 'string'
      && Array.isArray(t.shape) && t.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= -1);
    if (!ok) throw new StudioError('REMOTE_PROTOCOL', `${endpoint} model metadata lists a malformed ${key} entry: ${JSON.stringify(t)?.slice(0, 120)}.`, endpoint);
    return fromV2Metadata({ name: t.name as string, datatype: t.datatype as string, shape: t.shape as number[] });
  });
}

/** Declared inputs and outputs from a metadata body. @throws StudioError REMOTE_PROTOCOL when it is not v2 metadata */
export function parseModelMetadata(endpoint: string, body: Buffer): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new StudioError('REMOTE_PROTOCOL', `${endpoint} answered the metadata request with something that is not JSON.`, endpoint);
  }
  if (!isRecord(parsed)) throw new StudioError('REMOTE_PROTOCOL', `${endpoint} model metadata is not a JSON object.`, endpoint);
  return { inputs: tensorList(endpoint, parsed.inputs, 'inputs'), outputs: tensorList(endpoint, parsed.outputs, 'outputs') };
}

/** True when `dims` fit the declaration: same rank, equal wherever a size is fixed. */
export function dimsFit(declared: readonly (number | string)[], dims: readonly number[]): boolean {
  return declared.length === dims.length && declared.every((d, k) => typeof d === 'string' || d === dims[k]);
}

/** Missing/unknown feeds, dtype and fixed-dim mismatches, with OrtRunner's codes and wording. */
export function checkFeeds(label: string, inputs: readonly ValueInfo[], feeds: Record<string, HostTensor>): void {
  const missing = inputs.filter((i) => !(i.name in feeds)).map((i) => i.name);
  if (missing.length > 0) {
    throw new StudioError('MODEL_LAYOUT', `${label} needs input(s) ${missing.join(', ')} that the pipeline does not supply; this model is not a supported text-to-image export.`);
  }
  for (const [name, t] of Object.entries(feeds)) {
    const info = inputs.find((i) => i.name === name);
    if (!info) throw new StudioError('INTERNAL', `${label} has no input "${name}" (inputs: ${inputs.map((i) => i.name).join(', ')}).`);
    if (info.type !== t.type || !dimsFit(info.dims, t.dims)) {
      throw new StudioError('MODEL_LAYOUT', `${label} input "${name}" is declared ${info.type}${formatDims(info.dims)} but the pipeline feeds ${t.type}${formatDims(t.dims)}.`);
    }
  }
}

/** An output of an answer checked against its declaration. @throws StudioError REMOTE_PROTOCOL */
export function checkAnswer(label: string, info: ValueInfo, t: HostTensor): void {
  if (info.type !== t.type || !dimsFit(info.dims, t.dims)) {
    throw new StudioError('REMOTE_PROTOCOL', `${label} output "${info.name}" is declared ${info.type}${formatDims(info.dims)} but the server sent ${t.type}${formatDims(t.dims)}.`, label);
  }
}
