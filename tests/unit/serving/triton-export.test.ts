/**
 * `studio export-triton`'s repository writer: the config's inputs and outputs match the ONNX
 * metadata as onnxruntime reports it, the copied model (with its external weights, in Triton's
 * directory form) loads and computes the same outputs, and a non-empty folder is only replaced
 * with force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ValueInfo } from '../../../main/runtime/host-tensor';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { tritonConfig } from '../../../main/serving/triton-config';
import { exportTritonModel } from '../../../main/serving/triton-export';
import { BUNDLED_PIPELINES, cleanupTempDirs, listFilesDeep, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';
import { TINY_TRANSFORMER, tinyFeeds } from './serving-fixture';

afterAll(cleanupTempDirs);

interface ConfigTensor {
  name: string;
  data_type: string;
  dims: number[];
}

/** The fields of a config.pbtxt the test checks, read with plain patterns (not the writer's code). */
function readConfig(text: string): { name: string; platform: string; backend: string; maxBatch: number; input: ConfigTensor[]; output: ConfigTensor[] } {
  const field = (key: string): string => (new RegExp(`^${key}: (.+)$`, 'm').exec(text)?.[1] ?? '').replace(/^"|"$/g, '');
  const tensors = (section: string): ConfigTensor[] => {
    const body = new RegExp(`^${section} \\[\\n([\\s\\S]*?)\\n\\]$`, 'm').exec(text)?.[1] ?? '';
    return [...body.matchAll(/\{\s*name: "([^"]+)"\s*data_type: (TYPE_\w+)\s*dims: \[ ([^\]]*) \]\s*\}/g)].map((m) => ({
      name: m[1] as string,
      data_type: m[2] as string,
      dims: (m[3] as string).split(',').map((d) => Number(d.trim())),
    }));
  };
  return { name: field('name'), platform: field('platform'), backend: field('backend'), maxBatch: Number(field('max_batch_size')), input: tensors('input'), output: tensors('output') };
}

/** What the config must say for each tensor onnxruntime declares. */
function fromOrt(list: readonly ValueInfo[]): ConfigTensor[] {
  const types: Record<string, string> = { float32: 'TYPE_FP32', int64: 'TYPE_INT64', float16: 'TYPE_FP16', int32: 'TYPE_INT32' };
  return list.map((v) => ({ name: v.name, data_type: types[v.type] ?? `? ${v.type}`, dims: v.dims.map((d) => (typeof d === 'number' ? d : -1)) }));
}

describe('export-triton', () => {
  test.each(['tiny', 'emoji'])('the %s transformer: config inputs/outputs match the ONNX metadata; weights in directory form', async (id) => {
    const source = path.join(BUNDLED_PIPELINES, id, 'transformer', 'model.onnx');
    const out = tempDir('triton-repo-');
    const result = exportTritonModel({ modelFile: source, label: 'transformer/model.onnx', name: `${id}-transformer`, outDir: out, force: false });
    expect(result.dir).toBe(path.join(out, `${id}-transformer`));
    expect(listFilesDeep(result.dir).sort()).toEqual(['1/model.onnx/model.onnx', '1/model.onnx/model.onnx_data', 'config.pbtxt'].map((p) => p.split('/').join(path.sep)));
    const config = readConfig(fs.readFileSync(path.join(result.dir, 'config.pbtxt'), 'utf8'));
    const ort = await OrtRunner.create(source, { label: 'source', provider: 'cpu' });
    try {
      expect(config).toEqual({ name: `${id}-transformer`, platform: 'onnxruntime_onnx', backend: 'onnxruntime', maxBatch: 0, input: fromOrt(ort.inputs), output: fromOrt(ort.outputs) });
      expect(config.input.map((t) => t.name)).toEqual(['hidden_states', 'timestep', 'encoder_hidden_states']);
      expect(config.input[0]!.dims).toEqual([-1, 4, 8, 8]);
    } finally {
      await ort.dispose();
    }
  });

  test('the exported model loads from the repository and computes the same outputs as the source', async () => {
    const out = tempDir('triton-repo-');
    const { dir } = exportTritonModel({ modelFile: TINY_TRANSFORMER, label: 'transformer/model.onnx', name: 'tiny-transformer', outDir: out, force: false });
    const [a, b] = await Promise.all([
      OrtRunner.create(TINY_TRANSFORMER, { label: 'source', provider: 'cpu' }),
      OrtRunner.create(path.join(dir, '1', 'model.onnx', 'model.onnx'), { label: 'exported', provider: 'cpu' }),
    ]);
    try {
      const feeds = tinyFeeds(2, 77);
      const x = (await a.run(feeds, ['out_sample'])).out_sample!.data as Float32Array;
      const y = (await b.run(feeds, ['out_sample'])).out_sample!.data as Float32Array;
      expect(Buffer.from(y.buffer).equals(Buffer.from(x.buffer))).toBe(true);
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
    }
  });

  test('a model without external data is copied as 1/model.onnx', () => {
    const out = tempDir('triton-repo-');
    const r = exportTritonModel({ modelFile: path.join(TINY_DIR, 'vae_decoder', 'model.onnx'), label: 'vae_decoder/model.onnx', name: 'tiny-vae_decoder', outDir: out, force: false });
    expect(r.files).toEqual(['config.pbtxt', '1/model.onnx']);
    expect(fs.statSync(path.join(r.dir, '1', 'model.onnx')).isFile()).toBe(true);
  });

  test('a non-empty model folder is replaced only with force, and no staging folder is left behind', () => {
    const out = tempDir('triton-repo-');
    const opts = { modelFile: TINY_TRANSFORMER, label: 'transformer/model.onnx', name: 'tiny-transformer', outDir: out };
    exportTritonModel({ ...opts, force: false });
    fs.writeFileSync(path.join(out, 'tiny-transformer', 'stale.txt'), 'old');
    expect(() => exportTritonModel({ ...opts, force: false })).toThrow(/already exists and is not empty; pass --force/);
    expect(fs.existsSync(path.join(out, 'tiny-transformer', 'stale.txt'))).toBe(true);
    exportTritonModel({ ...opts, force: true });
    expect(fs.existsSync(path.join(out, 'tiny-transformer', 'stale.txt'))).toBe(false);
    expect(fs.readdirSync(out)).toEqual(['tiny-transformer']);
  });

  test('a rank-0 tensor is refused with the reason (Triton rejects scalars when max_batch_size is 0)', () => {
    const io = { inputs: [{ name: 'timestep', type: 'int64', dims: [] }], outputs: [{ name: 'out', type: 'float32', dims: ['batch', 4] }] };
    expect(() => tritonConfig('m', 'unet/model.onnx', io)).toThrow(/"timestep" is a rank-0 scalar; Triton needs rank ≥ 1/);
    const ok = tritonConfig('m', 'unet/model.onnx', { ...io, inputs: [{ name: 'timestep', type: 'int64', dims: [1] }] });
    expect(readConfig(ok).input).toEqual([{ name: 'timestep', data_type: 'TYPE_INT64', dims: [1] }]);
  });
});
