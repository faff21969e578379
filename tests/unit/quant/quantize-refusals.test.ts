/** Every bad input to the quantizer gets a clear error that names the problem, and writes nothing. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { planGraph } from '../../../main/quant/graph-plan';
import { graphOf, loadModel } from '../../../main/quant/onnx-model';
import { checkPrecision } from '../../../main/quant/precision-support';
import { writeQdqModel } from '../../../main/quant/qdq-writer';
import { validateQuantizeRequest } from '../../../main/quant/quantize-request';
import { cleanupTempDirs, copyTiny, TINY_DIR, tempDir } from '../../helpers/runtime-fixture';

afterAll(cleanupTempDirs);

const TINY_MODEL = path.join(TINY_DIR, 'transformer', 'model.onnx');

describe('quantizer refusals', () => {
  test('a missing model', () => {
    expect(() => loadModel(path.join(tempDir(), 'model.onnx'))).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FOUND' }));
  });

  test('a corrupt model file, and truncated external data', () => {
    const file = path.join(tempDir(), 'model.onnx');
    fs.writeFileSync(file, Buffer.from('this is not protobuf \u0000\u00ff\u00ff\u00ff'));
    expect(() => loadModel(file)).toThrow(expect.objectContaining({ code: 'MODEL_CORRUPT' }));
    const dir = copyTiny();
    const data = path.join(dir, 'transformer', 'model.onnx_data');
    fs.truncateSync(data, 1000);
    expect(() => loadModel(path.join(dir, 'transformer', 'model.onnx'))).toThrow(/past the end of model\.onnx_data/);
  });

  test('an op the quantizer does not know, by name', () => {
    const model = loadModel(TINY_MODEL);
    const g = graphOf(model);
    const victim = g.node.find((n) => n.opType === 'Erf');
    if (victim === undefined) throw new Error('fixture changed: no Erf node');
    victim.opType = 'FancyActivation';
    expect(() => planGraph(g, 'int8')).toThrow(/does not support op\(s\) FancyActivation/);
  });

  test('a weight computed at run time, by node name', () => {
    const model = loadModel(TINY_MODEL);
    const g = graphOf(model);
    const gemm = g.node.find((n) => n.opType === 'Gemm');
    if (gemm === undefined) throw new Error('fixture changed: no Gemm node');
    gemm.input[1] = g.node[0]?.output[0] as string;
    expect(() => planGraph(g, 'int8')).toThrow(new RegExp(`constant weights, but ${gemm.name.replace(/[/.]/g, '\\$&')}`));
  });

  test('an opset without per-channel QDQ', () => {
    const model = loadModel(TINY_MODEL);
    const plan = planGraph(graphOf(model), 'int8');
    for (const o of model.opsetImport) o.version = 11;
    expect(() => writeQdqModel(model, plan, new Map())).toThrow(/opset 11/);
  });

  test('a precision or provider that cannot run the quantized graph', () => {
    expect(() => checkPrecision('w4a8', 'dml')).toThrow(expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/w4a8 runs on the cpu provider/) }));
    expect(() => checkPrecision('w8a8', 'cuda')).toThrow(expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/cuda/) }));
    expect(() => checkPrecision('w8a8', 'cpu')).not.toThrow();
  });

  test('bad request fields are named', () => {
    const ok = { model: 'tiny', precision: 'w8a8', prompts: ['x'], steps: 6, cfg: 4, scheduler: 'default', seed: 1, provider: 'cpu' };
    expect(validateQuantizeRequest(ok)).toEqual(ok);
    expect(() => validateQuantizeRequest({ ...ok, precision: 'fp32' })).toThrow(/^precision must be one of w8a8/);
    expect(() => validateQuantizeRequest({ ...ok, prompts: [] })).toThrow(/^prompts must hold at least one/);
    expect(() => validateQuantizeRequest({ ...ok, steps: 0 })).toThrow(/^steps/);
    expect(() => validateQuantizeRequest({ ...ok, scheduler: 'nope' })).toThrow(/^scheduler/);
  });
});
