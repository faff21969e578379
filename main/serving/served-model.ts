/**
 * A model as a v2 (Open Inference Protocol) server presents it: a name, one version ("1"),
 * the platform Triton would report for it, and the runner that computes it.
 */
import { toV2Metadata, type V2TensorMetadata } from '../runtime/remote-datatypes';
import type { ModelRunner } from '../runtime/runner';

/** What Triton reports for an ONNX Runtime model; clients only display it. */
export const ONNX_PLATFORM = 'onnxruntime_onnx';
export const SERVED_VERSION = '1';

export interface ServedModel {
  name: string;
  runner: ModelRunner;
}

/**
 * The served name of a pipeline component: `<model id>-<component>`, e.g. `emoji-transformer`.
 * Characters outside [A-Za-z0-9_.-] (a user model id `user/x`, a folder path) become '-', so
 * the name is one URL path segment and a valid Triton model folder name.
 */
export function servedModelName(modelId: string, component: string): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return `${clean(modelId) || 'model'}-${clean(component)}`;
}

/** Declared tensors in v2 form; a tensor v2 has no datatype for is left out (it cannot be fed or fetched). */
function v2List(list: ModelRunner['inputs']): V2TensorMetadata[] {
  return list.map(toV2Metadata).filter((m): m is V2TensorMetadata => m !== undefined);
}

/** `GET /v2/models/{name}`: {"name","versions","platform","inputs","outputs"}, -1 for variable dims. */
export function modelMetadata(m: ServedModel): Record<string, unknown> {
  return { name: m.name, versions: [SERVED_VERSION], platform: ONNX_PLATFORM, inputs: v2List(m.runner.inputs), outputs: v2List(m.runner.outputs) };
}
