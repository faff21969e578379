/**
 * The answer to an infer request: `{"model_name","model_version","id"?,"outputs":[…]}`, with
 * binary outputs' bytes after the JSON (then `application/octet-stream` and the
 * Inference-Header-Content-Length header), JSON `data` for the others.
 */
import type { HostTensor } from '../runtime/host-tensor';
import { encodeTensors, frameBody } from '../runtime/remote-codec';
import type { InferRequest } from './infer-request';
import { SERVED_VERSION } from './served-model';

export interface InferAnswer {
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * @param results the runner's outputs, holding every name in `request.outputs`
 * @param computeMs time inside the model, sent as the response parameter `compute_ms` (the v2
 *   protocol allows free-form parameters) so a client can tell the protocol's cost from the model's
 */
export function inferAnswer(modelName: string, request: InferRequest, results: Record<string, HostTensor>, computeMs: number): InferAnswer {
  const { entries, parts } = encodeTensors(request.outputs.map((o) => ({ name: o.name, tensor: results[o.name] as HostTensor, binary: o.binary })));
  const header = {
    model_name: modelName,
    model_version: SERVED_VERSION,
    ...(request.id === undefined ? {} : { id: request.id }),
    parameters: { compute_ms: computeMs },
    outputs: entries,
  };
  const { body, headerLength } = frameBody(header, parts);
  const headers: Record<string, string> = { 'content-length': String(body.byteLength) };
  if (parts.length > 0) {
    headers['content-type'] = 'application/octet-stream';
    headers['inference-header-content-length'] = String(headerLength);
  } else {
    headers['content-type'] = 'application/json';
  }
  return { body, headers };
}
