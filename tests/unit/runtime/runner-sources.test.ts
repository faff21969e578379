/**
 * The runner seam: an onnxruntime runner opened from an in-memory buffer behaves as one opened
 * from the file, session options are honoured, a cancelled signal stops a run before it starts,
 * and the denoiser hands calibration code its intermediate outputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Denoiser } from '../../../main/runtime/denoiser';
import { floatTensor, toFloat32 } from '../../../main/runtime/host-tensor';
import { OrtRunner } from '../../../main/runtime/ort-runner';
import { findInput } from '../../../main/runtime/runner';
import { TINY_DIR } from '../../helpers/runtime-fixture';

const VAE = path.join(TINY_DIR, 'vae_decoder', 'model.onnx');
const open: OrtRunner[] = [];
afterAll(async () => {
  await Promise.all(open.map((r) => r.dispose()));
});
async function keep(r: Promise<OrtRunner>): Promise<OrtRunner> {
  const runner = await r;
  open.push(runner);
  return runner;
}

const latent = Float32Array.from({ length: 4 * 8 * 8 }, (_, i) => Math.cos(i));

describe('OrtRunner sources and options', () => {
  test('a buffer gives the same metadata and outputs as the file', async () => {
    const fromFile = await keep(OrtRunner.create(VAE, { label: 'vae_decoder/model.onnx', provider: 'cpu' }));
    const fromBuffer = await keep(OrtRunner.create(new Uint8Array(fs.readFileSync(VAE)), { label: 'vae_decoder/model.onnx', provider: 'cpu', intraOpThreads: 1, graphOptimizationLevel: 'basic' }));
    expect(fromBuffer.inputs).toEqual(fromFile.inputs);
    expect(fromBuffer.outputs).toEqual(fromFile.outputs);
    const input = findInput(fromFile, 'latent_sample');
    expect(input).toBeDefined();
    const feeds = { latent_sample: floatTensor('float32', latent, [1, 4, 8, 8]) };
    const a = toFloat32((await fromFile.run(feeds)).sample as never);
    const b = toFloat32((await fromBuffer.run(feeds)).sample as never);
    expect(a.length).toBe(3 * 64 * 64);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    expect(worst).toBeLessThan(1e-5);
  });

  test('garbage bytes are refused as a corrupt model, naming the label', async () => {
    await expect(OrtRunner.create(new Uint8Array([1, 2, 3, 4]), { label: 'vae_decoder/model.onnx', provider: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_CORRUPT', message: expect.stringContaining('vae_decoder/model.onnx') });
  });

  test('an aborted signal stops a run before it starts', async () => {
    const runner = await keep(OrtRunner.create(VAE, { label: 'vae_decoder/model.onnx', provider: 'cpu' }));
    const controller = new AbortController();
    controller.abort();
    await expect(runner.run({ latent_sample: floatTensor('float32', latent, [1, 4, 8, 8]) }, undefined, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('Denoiser intermediate outputs', () => {
  test('predictOutputs returns the prediction and block_residual; predict equals its prediction', async () => {
    const runner = await keep(OrtRunner.create(path.join(TINY_DIR, 'transformer', 'model.onnx'), { label: 'transformer/model.onnx', provider: 'cpu' }));
    const denoiser = new Denoiser(runner);
    // The tiny fixture: 32 tokens (its tokenizer's model_max_length) of width 32.
    const [L, D] = [32, denoiser.context.dims[2] as number];
    const context = Float32Array.from({ length: 2 * L * D }, (_, i) => Math.sin(i) * 0.1);
    const x = Float32Array.from({ length: 2 * latent.length }, (_, i) => latent[i % latent.length] as number);
    const outs = await denoiser.predictOutputs(x, [4, 8, 8], 500, context, [L, D], ['out_sample', 'block_residual']);
    expect(outs.out_sample).toHaveLength(x.length);
    expect((outs.block_residual as Float32Array).length).toBeGreaterThan(0);
    expect(await denoiser.predict(x, [4, 8, 8], 500, context, [L, D])).toEqual(outs.out_sample);
    // A subset fetched alone, or in another order, is the same tensor as in a full run.
    const alone = await denoiser.predictOutputs(x, [4, 8, 8], 500, context, [L, D], ['block_residual']);
    const reversed = await denoiser.predictOutputs(x, [4, 8, 8], 500, context, [L, D], ['block_residual', 'modulated_input', 'out_sample']);
    expect(alone.block_residual).toEqual(outs.block_residual);
    expect(reversed.block_residual).toEqual(outs.block_residual);
    expect(reversed.out_sample).toEqual(outs.out_sample);
    expect(reversed.modulated_input).not.toEqual(reversed.block_residual);
    await expect(denoiser.predictOutputs(x, [4, 8, 8], 500, context, [L, D], ['nope'])).rejects.toMatchObject({ code: 'MODEL_LAYOUT', message: expect.stringContaining('nope') });
  });
});
