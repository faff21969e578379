/**
 * Shared set-up for the cache integration tests: a throw-away STUDIO_HOME with its SQLite store
 * and registry over the bundled pipelines, plus a copy of the tiny pipeline that carries a real
 * TeaCache probe graph (transformer/probe.onnx, built with the test ONNX builder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { studioPaths, type StudioPaths } from '../../../main/config/studio-home';
import { ModelRegistry } from '../../../main/models/model-registry';
import { PipelineCache } from '../../../main/runtime/loaded-pipeline';
import { openStudioDb, type StudioDb } from '../../../main/store/studio-db';
import { buildOnnxModel } from '../../helpers/runtime-onnx-builder';
import { BUNDLED_PIPELINES, copyTiny, tempDir } from '../../helpers/runtime-fixture';

export interface StudioFixture {
  paths: StudioPaths;
  db: StudioDb;
  registry: ModelRegistry;
  pipelines: PipelineCache;
  close(): Promise<void>;
}

export function openFixture(): StudioFixture {
  const paths = studioPaths(tempDir('studio-home-'));
  fs.mkdirSync(paths.home, { recursive: true });
  const db = openStudioDb(paths.db);
  const registry = new ModelRegistry({ bundledDir: BUNDLED_PIPELINES, userDir: paths.models });
  const pipelines = new PipelineCache(2);
  return { paths, db, registry, pipelines, close: async () => { db.close(); await pipelines.clear(); } };
}

/**
 * A probe shaped like native-models' export: hidden_states [B,4,8,8] and timestep [B] in,
 * modulated_input = hidden_states + timestep (broadcast) out. Not the transformer's block 0, but a
 * real graph whose output changes with the input and the timestep, which is all TeaCache reads.
 * With `readsText`, it also takes encoder_hidden_states [B,32,32] (the tiny text encoder's) and
 * adds their per-row sum, like the bundled models' probe, whose adaLN carries the pooled prompt.
 */
export function probeModel(readsText = false): Buffer {
  const text = readsText
    ? {
        inputs: [{ name: 'encoder_hidden_states', type: 'float32' as const, dims: ['batch', 32, 32] }],
        nodes: [
          { op: 'ReduceSum', inputs: ['encoder_hidden_states', 'text_axes'], outputs: ['text_sum'] },
          { op: 'Reshape', inputs: ['text_sum', 'shape'], outputs: ['text_4d'] },
          { op: 'Add', inputs: ['with_t', 'text_4d'], outputs: ['modulated_input'] },
        ],
      }
    : { inputs: [], nodes: [{ op: 'Identity', inputs: ['with_t'], outputs: ['modulated_input'] }] };
  return buildOnnxModel({
    inputs: [
      { name: 'hidden_states', type: 'float32', dims: ['batch', 4, 8, 8] },
      { name: 'timestep', type: 'float32', dims: ['batch'] },
      ...text.inputs,
    ],
    outputs: [{ name: 'modulated_input', type: 'float32', dims: ['batch', 4, 8, 8] }],
    initializers: [
      { name: 'shape', type: 'int64', dims: [4], values: [-1, 1, 1, 1] },
      { name: 'text_axes', type: 'int64', dims: [2], values: [1, 2] },
    ],
    nodes: [
      { op: 'Reshape', inputs: ['timestep', 'shape'], outputs: ['t_4d'] },
      { op: 'Add', inputs: ['hidden_states', 't_4d'], outputs: ['with_t'] },
      ...text.nodes,
    ],
  });
}

/** A copy of the tiny pipeline with transformer/probe.onnx added (its folder path). */
export function tinyWithProbe(readsText = false): string {
  const dir = copyTiny(readsText ? 'tiny-text-probe' : 'tiny-probe');
  fs.writeFileSync(path.join(dir, 'transformer', 'probe.onnx'), probeModel(readsText));
  return dir;
}
