import fs from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, describe, expect, test } from 'vitest';
import { StudioError } from '../../../contract/errors';
import { externalLocationProblem } from '../../../main/runtime/external-data-guard';
import { loadPipeline } from '../../../main/runtime/loaded-pipeline';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { checkPipelineLayout } from '../../../main/runtime/pipeline-layout';
import { cleanupTempDirs, copyTiny } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

/** Rewrites every external-data `location` of `<dir>/transformer/model.onnx` to `location`. */
function pointWeightsAt(dir: string, location: string): string {
  const file = path.join(dir, 'transformer', 'model.onnx');
  const model = onnx.ModelProto.decode(fs.readFileSync(file));
  let changed = 0;
  for (const t of model.graph?.initializer ?? []) {
    for (const kv of t.externalData ?? []) {
      if (kv.key === 'location') {
        kv.value = location;
        changed++;
      }
    }
  }
  expect(changed).toBeGreaterThan(0);
  fs.writeFileSync(file, onnx.ModelProto.encode(model).finish());
  return file;
}

/**
 * A model folder whose weights sit two levels up, in a real, loadable weights file of an
 * odd size: without the guard onnxruntime loads it, and a size check would print that size.
 */
function modelWithOutsideWeights(): { dir: string; file: string; outsideSize: number } {
  const dir = copyTiny();
  const outside = path.resolve(dir, 'transformer', '..', '..', 'outside.bin');
  fs.copyFileSync(path.join(dir, 'transformer', 'model.onnx_data'), outside);
  fs.appendFileSync(outside, Buffer.alloc(777));
  fs.rmSync(path.join(dir, 'transformer', 'model.onnx_data'));
  const file = pointWeightsAt(dir, '../../outside.bin');
  return { dir, file, outsideSize: fs.statSync(outside).size };
}

function caught(fn: () => unknown): StudioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected a StudioError');
}

describe('external-data locations', () => {
  test.each([
    ['model.onnx_data', undefined],
    ['weights/part-1.bin', undefined],
    ['./model.onnx_data', undefined],
    ['../../outside.bin', 'it leads out of the model folder'],
    ['a/../../b.bin', 'it leads out of the model folder'],
    ['..\\..\\outside.bin', 'it leads out of the model folder'],
    ['/etc/passwd', 'it is an absolute path'],
    ['C:\\Windows\\win.ini', 'it is an absolute path'],
    ['\\\\server\\share\\w.bin', 'it is an absolute path'],
    ['', 'it is empty'],
    ['w\0.bin', 'it holds a NUL character'],
  ])('%j → %s', (location, problem) => {
    expect(externalLocationProblem(location)).toBe(problem);
  });
});

describe('a model whose weights leave its folder is refused before onnxruntime reads them', () => {
  test('../../outside.bin: the layout check names the model and the location, not the file size', () => {
    const { dir, outsideSize } = modelWithOutsideWeights();
    const err = caught(() => checkPipelineLayout(dir));
    expect(err.code).toBe('MODEL_LAYOUT');
    expect(err.message).toContain(dir);
    expect(err.message).toContain('transformer/model.onnx');
    expect(err.message).toContain('"../../outside.bin"');
    expect(err.message).not.toContain(String(outsideSize));
    expect(err.message).not.toMatch(/bytes/);
  });

  test('/etc/passwd: refused without a word about that file', () => {
    const dir = copyTiny();
    pointWeightsAt(dir, '/etc/passwd');
    const err = caught(() => checkPipelineLayout(dir));
    expect(err.code).toBe('MODEL_LAYOUT');
    expect(err.message).toContain('"/etc/passwd"');
    expect(err.message).toContain('absolute path');
    expect(err.message).not.toMatch(/bytes|missing|truncated/);
    expect(err.message).not.toContain(String(fs.statSync('/etc/passwd').size));
  });

  test('opening the .onnx directly (no layout check) is refused too, though the outside weights would load', async () => {
    const { file, outsideSize } = modelWithOutsideWeights();
    const err = await OrtRunner.create(file, { label: 'transformer/model.onnx', provider: 'cpu' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('MODEL_LAYOUT');
    expect((err as StudioError).message).toContain('"../../outside.bin"');
    expect((err as StudioError).message).not.toContain(String(outsideSize));
  });

  test('the pipeline loader refuses it with the same error', async () => {
    const { dir } = modelWithOutsideWeights();
    await expect(loadPipeline(dir, 'cpu')).rejects.toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringContaining('../../outside.bin') });
  });

  test('weights in a subfolder of the model folder still load', async () => {
    const dir = copyTiny();
    const sub = path.join(dir, 'transformer', 'weights');
    fs.mkdirSync(sub);
    fs.renameSync(path.join(dir, 'transformer', 'model.onnx_data'), path.join(sub, 'model.onnx_data'));
    const file = pointWeightsAt(dir, 'weights/model.onnx_data');
    const runner = await OrtRunner.create(file, { label: 'transformer/model.onnx', provider: 'cpu' });
    expect(runner.inputs.length).toBeGreaterThan(0);
    await runner.dispose();
  });
});
