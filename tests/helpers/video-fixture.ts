/**
 * A small video pipeline for tests: the tiny fixture's text encoder, tokenizer, VAE and
 * scheduler with a stand-in video denoiser of the interface a video model has
 * (hidden_states [B, 4, F, 8, 8] with F a dynamic axis, timestep [B], encoder_hidden_states
 * [B, S, 32] → out_sample [B, 4, F, 8, 8]) predicting `hidden_states + timestep`, and a
 * studio.json that declares it a video model. A real ONNX model run by onnxruntime; its frames
 * are noise, but every shape crosses the same boundaries as a trained model's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { VideoSettings } from '../../contract/api';
import { buildOnnxModel, ELEM } from './runtime-onnx-builder';
import { copyTiny } from './runtime-fixture';

/** `hidden_states + timestep`, over a rank-5 latent with a dynamic frame axis. */
function videoSumDenoiser(): Buffer {
  return buildOnnxModel({
    inputs: [
      { name: 'hidden_states', type: 'float32', dims: ['batch', 4, 'frames', 8, 8] },
      { name: 'timestep', type: 'float32', dims: ['batch'] },
      { name: 'encoder_hidden_states', type: 'float32', dims: ['batch', 'sequence', 32] },
    ],
    outputs: [{ name: 'out_sample', type: 'float32', dims: ['batch', 4, 'frames', 8, 8] }],
    initializers: [{ name: 'shape', type: 'int64', dims: [5], values: [-1, 1, 1, 1, 1] }],
    nodes: [
      { op: 'Cast', inputs: ['timestep'], outputs: ['t_cast'], ints: { to: ELEM.float32 } },
      { op: 'Reshape', inputs: ['t_cast', 'shape'], outputs: ['t_5d'] },
      { op: 'Add', inputs: ['hidden_states', 't_5d'], outputs: ['out_sample'] },
    ],
  });
}

/** A temp folder `<name>/` holding the video pipeline; removed by cleanupTempDirs(). */
export function videoFixture(name: string, video: VideoSettings): string {
  const dir = copyTiny(name);
  const transformer = path.join(dir, 'transformer');
  fs.rmSync(path.join(transformer, 'model.onnx_data'), { force: true });
  fs.writeFileSync(path.join(transformer, 'model.onnx'), videoSumDenoiser());
  fs.writeFileSync(path.join(dir, 'studio.json'), JSON.stringify({ id: name, name: 'Video test fixture', video }, null, 2));
  return dir;
}
