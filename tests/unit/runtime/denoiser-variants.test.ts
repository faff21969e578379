/**
 * Export variants of the denoiser that diffusers' Python pipeline adapts to at run time:
 * float16 tensors, int64 / int32 / float32 timesteps shaped [batch], [1] or [], and a
 * fixed batch of 1. Each runs a real ONNX model whose output is `sample + timestep`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Denoiser } from '../../../main/runtime/denoiser';
import { readOnnxSummary } from '../../../main/runtime/onnx-proto';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { buildOnnxModel, sumDenoiserModel } from '../../helpers/runtime-onnx-builder';
import { cleanupTempDirs, tempDir } from '../../helpers/runtime-fixture';

const sessions: OrtRunner[] = [];
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  cleanupTempDirs();
});

async function denoiserFrom(model: Buffer): Promise<Denoiser> {
  const file = path.join(tempDir(), 'model.onnx');
  fs.writeFileSync(file, model);
  const session = await OrtRunner.create(file, { label: 'unet/model.onnx', provider: 'cpu' });
  sessions.push(session);
  return new Denoiser(session);
}

/** Two latents [2,4,8,8]: the first all 0.5, the second all −1.5 (exact in float16). */
function twoLatents(): Float32Array {
  const x = new Float32Array(512);
  x.fill(0.5, 0, 256);
  x.fill(-1.5, 256);
  return x;
}
const context = new Float32Array(2 * 7 * 32);

describe('denoiser export variants', () => {
  test('float16 tensors with an int64 [batch] timestep', async () => {
    const model = sumDenoiserModel({ sampleType: 'float16', timestepType: 'int64', timestepDims: ['batch'], batch: 'batch' });
    expect(readOnnxSummary(writeTemp(model)).inputs.map((i) => `${i.name}:${i.type}`)).toEqual([
      'sample:float16',
      'timestep:int64',
      'encoder_hidden_states:float16',
    ]);
    const d = await denoiserFrom(model);
    expect(d.maxBatch).toBe(Infinity);
    const out = await d.predict(twoLatents(), [4, 8, 8], 999, context, [7, 32]);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out[0]).toBe(999.5);
    expect(out[511]).toBe(997.5);
  });

  test('float32 with a scalar float timestep keeps fractional values', async () => {
    const d = await denoiserFrom(sumDenoiserModel({ sampleType: 'float32', timestepType: 'float32', timestepDims: [], batch: 'batch' }));
    const out = await d.predict(twoLatents(), [4, 8, 8], 12.25, context, [7, 32]);
    expect(out[0]).toBe(12.75);
    expect(out[300]).toBe(10.75);
  });

  test('a fixed batch of 1 with an int32 [1] timestep runs a CFG pair as two calls, rounding t', async () => {
    const d = await denoiserFrom(sumDenoiserModel({ sampleType: 'float32', timestepType: 'int32', timestepDims: [1], batch: 1 }));
    expect(d.maxBatch).toBe(1);
    const out = await d.predict(twoLatents(), [4, 8, 8], 981.6, context, [7, 32]);
    expect(out[0]).toBe(982.5);
    expect(out[256]).toBe(980.5);
  });

  test('an export needing inputs the studio does not supply is refused by name', async () => {
    const model = buildOnnxModel({
      inputs: [
        { name: 'sample', type: 'float32', dims: ['batch', 4, 8, 8] },
        { name: 'timestep', type: 'int64', dims: ['batch'] },
        { name: 'encoder_hidden_states', type: 'float32', dims: ['batch', 77, 32] },
        { name: 'time_ids', type: 'float32', dims: ['batch', 6] },
      ],
      outputs: [{ name: 'out_sample', type: 'float32', dims: ['batch', 4, 8, 8] }],
      nodes: [{ op: 'Identity', inputs: ['sample'], outputs: ['out_sample'] }],
    });
    await expect(denoiserFrom(model)).rejects.toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringMatching(/also needs time_ids/) });
  });
});

function writeTemp(model: Buffer): string {
  const file = path.join(tempDir(), 'model.onnx');
  fs.writeFileSync(file, model);
  return file;
}
