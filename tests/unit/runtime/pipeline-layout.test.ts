import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { StudioError, type ErrorCode } from '../../../contract/errors';
import { loadPipeline } from '../../../main/runtime/loaded-pipeline';
import { readOnnxSummary } from '../../../main/runtime/onnx-proto';
import { pipelineGeometry } from '../../../main/runtime/pipeline-geometry';
import { checkPipelineLayout } from '../../../main/runtime/pipeline-layout';
import { cleanupTempDirs, copyTiny, tempDir, TINY_DIR } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

function layoutError(dir: string): StudioError {
  try {
    checkPipelineLayout(dir);
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error(`expected ${dir} to be rejected`);
}

function expectCode(dir: string, code: ErrorCode, message: RegExp): void {
  const err = layoutError(dir);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}

describe('the tiny fixture', () => {
  test('passes and reports a transformer denoiser with external data', () => {
    const layout = checkPipelineLayout(TINY_DIR);
    expect(layout.denoiser).toBe('transformer');
    const ext = layout.onnx.denoiser.externalData;
    expect(ext.length).toBeGreaterThan(0);
    expect(new Set(ext.map((e) => e.location))).toEqual(new Set(['model.onnx_data']));
  });

  test('declared I/O is read from the protobuf without onnxruntime', () => {
    const s = readOnnxSummary(path.join(TINY_DIR, 'vae_decoder', 'model.onnx'));
    expect(s.inputs).toEqual([{ name: 'latent_sample', type: 'float32', dims: ['batch', 4, 8, 8] }]);
    expect(s.outputs[0]).toEqual({ name: 'sample', type: 'float32', dims: ['batch', 3, 64, 64] });
  });

  test('geometry comes from the model files: 4×8×8 latents, 64×64 pixels', () => {
    expect(pipelineGeometry(checkPipelineLayout(TINY_DIR))).toEqual({
      latentChannels: 4,
      latentHeight: 8,
      latentWidth: 8,
      vaeScale: 8,
      width: 64,
      height: 64,
    });
  });
});

describe('bad folders fail before any session is created', () => {
  test('unknown dir → MODEL_NOT_FOUND', () => {
    expectCode(path.join(tempDir(), 'nope'), 'MODEL_NOT_FOUND', /No model folder at .*nope/);
  });

  test('missing model_index.json → MODEL_LAYOUT', () => {
    const dir = copyTiny();
    fs.rmSync(path.join(dir, 'model_index.json'));
    expectCode(dir, 'MODEL_LAYOUT', /model_index\.json is missing/);
  });

  test('missing transformer/model.onnx → MODEL_LAYOUT naming it', () => {
    const dir = copyTiny();
    fs.rmSync(path.join(dir, 'transformer', 'model.onnx'));
    expectCode(dir, 'MODEL_LAYOUT', /transformer\/model\.onnx is missing/);
  });

  test('neither unet/ nor transformer/ → MODEL_LAYOUT', () => {
    const dir = copyTiny();
    fs.rmSync(path.join(dir, 'transformer'), { recursive: true });
    expectCode(dir, 'MODEL_LAYOUT', /neither unet\/ nor transformer\//);
  });

  test.each(['text_encoder/model.onnx', 'vae_decoder/model.onnx', 'tokenizer/vocab.json', 'tokenizer/merges.txt', 'scheduler/scheduler_config.json'])(
    'missing %s → MODEL_LAYOUT',
    (rel) => {
      const dir = copyTiny();
      fs.rmSync(path.join(dir, rel));
      expectCode(dir, 'MODEL_LAYOUT', new RegExp(`${rel.replace('.', '\\.')} is missing`));
    },
  );

  test('truncated .onnx → MODEL_CORRUPT', () => {
    const dir = copyTiny();
    const file = path.join(dir, 'text_encoder', 'model.onnx');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    expectCode(dir, 'MODEL_CORRUPT', /text_encoder\/model\.onnx could not be loaded: .*truncated/);
  });

  test('Git LFS pointer → MODEL_CORRUPT', () => {
    const dir = copyTiny();
    fs.writeFileSync(
      path.join(dir, 'vae_decoder', 'model.onnx'),
      'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 116092\n',
    );
    expectCode(dir, 'MODEL_CORRUPT', /vae_decoder\/model\.onnx .*Git LFS pointer.*git lfs pull/);
  });

  test('empty file → MODEL_CORRUPT', () => {
    const dir = copyTiny();
    fs.writeFileSync(path.join(dir, 'tokenizer', 'merges.txt'), '');
    expectCode(dir, 'MODEL_CORRUPT', /tokenizer\/merges\.txt .*empty/);
  });

  test('unparsable JSON → MODEL_CORRUPT', () => {
    const dir = copyTiny();
    fs.writeFileSync(path.join(dir, 'scheduler', 'scheduler_config.json'), '{"_class_name": "DDIMScheduler",');
    expectCode(dir, 'MODEL_CORRUPT', /scheduler_config\.json .*not valid JSON/);
  });

  test('missing external data file → MODEL_LAYOUT naming it', () => {
    const dir = copyTiny();
    fs.rmSync(path.join(dir, 'transformer', 'model.onnx_data'));
    expectCode(dir, 'MODEL_LAYOUT', /transformer\/model\.onnx keeps its weights in "model\.onnx_data", but transformer\/model\.onnx_data is missing/);
  });

  test('truncated external data → MODEL_CORRUPT', () => {
    const dir = copyTiny();
    const file = path.join(dir, 'transformer', 'model.onnx_data');
    fs.truncateSync(file, 1000);
    expectCode(dir, 'MODEL_CORRUPT', /model\.onnx_data is 1000 bytes but .* reads up to byte \d+/);
  });

  test('a garbage .onnx that slips past the protobuf walk still fails to load as MODEL_CORRUPT', async () => {
    const dir = copyTiny();
    // A valid protobuf ModelProto with an empty graph: structurally fine, but no model.
    fs.writeFileSync(path.join(dir, 'vae_decoder', 'model.onnx'), Buffer.from([0x08, 0x07, 0x3a, 0x00]));
    await expect(loadPipeline(dir, 'cpu')).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
  });
});
