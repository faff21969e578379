/**
 * The hybrid panel's two calls: which models of the chosen one's kind (image or video) can pair
 * with it (checked from each folder's layout, no model loaded), and a connection test of a v2
 * endpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HybridPartners, HybridPartnersRequest, RemoteCheck, RemoteCheckRequest } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { denoiserMacs } from '../models/denoiser-macs';
import type { ModelRegistry } from '../models/model-registry';
import { pairingProblem } from '../pipeline/hybrid-pair';
import { folderHash } from '../runtime/model-hash';
import type { HashStore } from '../runtime/model-hash';
import { checkPipelineLayout, type PipelineLayout } from '../runtime/pipeline-layout';
import { RemoteRunner } from '../runtime/remote-runner';
import { TINY_DECODER_FOLDER } from '../runtime/loaded-pipeline';

async function macsOf(layout: PipelineLayout, store?: HashStore): Promise<number | null> {
  return denoiserMacs(layout.dir, await folderHash(path.join(layout.dir, layout.denoiser), store)) ?? null;
}

/** @throws StudioError MODEL_NOT_FOUND | MODEL_LAYOUT | MODEL_CORRUPT for the chosen model */
export async function hybridPartners(req: HybridPartnersRequest, registry: ModelRegistry, store?: HashStore): Promise<HybridPartners> {
  const model = registry.resolve(req.model);
  const layout = checkPipelineLayout(model.dir);
  const large = { id: model.id, layout };
  const partners: HybridPartners['partners'] = [];
  const refused: HybridPartners['refused'] = [];
  for (const other of registry.list()) {
    // Video and image models never share a run (rule latent-space); the list keeps to the chosen model's kind.
    if (other.id === model.id || other.kind !== model.kind) continue;
    let otherLayout: PipelineLayout;
    try {
      otherLayout = checkPipelineLayout(other.dir);
    } catch (err) {
      refused.push({ id: other.id, reason: err instanceof StudioError ? err.message : String(err) });
      continue;
    }
    const problem = pairingProblem(large, { id: other.id, layout: otherLayout }, req.steps, req.scheduler);
    if (problem === undefined) partners.push({ id: other.id, name: other.name, macsPerCall: await macsOf(otherLayout, store) });
    else refused.push({ id: other.id, reason: problem });
  }
  partners.sort((a, b) => (a.macsPerCall ?? Infinity) - (b.macsPerCall ?? Infinity));
  return {
    model: model.id,
    macsPerCall: await macsOf(layout, store),
    hasTinyVae: fs.existsSync(path.join(model.dir, TINY_DECODER_FOLDER, 'model.onnx')),
    partners,
    refused,
  };
}

/** @throws StudioError REMOTE_UNAVAILABLE | REMOTE_AUTH | MODEL_NOT_FOUND | REMOTE_PROTOCOL */
export async function checkRemote(req: RemoteCheckRequest): Promise<RemoteCheck> {
  const started = performance.now();
  const runner = await RemoteRunner.connect(req.url, { ...(req.token === undefined ? {} : { token: req.token }), timeoutMs: 10_000, retries: 0 });
  try {
    return { endpoint: runner.endpoint, inputs: runner.inputs.map((i) => i.name), outputs: runner.outputs.map((o) => o.name), ms: performance.now() - started };
  } finally {
    await runner.dispose();
  }
}
