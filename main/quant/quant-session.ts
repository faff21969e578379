/**
 * What the quantizer runs models with: a Denoiser over an in-memory ONNX graph (the calibration
 * graph with extra outputs, a candidate QDQ graph) on the CPU provider, and the prompt context a
 * generation would encode (txt2img's batch order: [uncond '', cond] under guidance).
 */
import type { Branch } from '../../core/sampling/branch';
import type { BranchOutputs, DenoiseModel } from '../../core/sampling/denoise-model';
import type { PromptContext } from '../pipeline/runner-denoise-model';
import { Denoiser } from '../runtime/denoiser';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { OrtRunner } from '../runtime/ort-runner';

/** Sessions of the quantizer use the int8-capable CPU provider with ORT's full graph rewrites (QDQ fusion). */
export async function denoiserFromBytes(bytes: Uint8Array, label: string): Promise<{ denoiser: Denoiser; dispose: () => Promise<void> }> {
  const runner = await OrtRunner.create(bytes, { label, provider: 'cpu', graphOptimizationLevel: 'all' });
  return { denoiser: new Denoiser(runner), dispose: () => runner.dispose() };
}

export async function promptContext(pipeline: LoadedPipeline, prompt: string, cfg: number): Promise<PromptContext> {
  const { textEncoder } = pipeline;
  const cond = textEncoder.tokenize(prompt, 'Calibration prompt');
  const ids = cfg > 1 ? [textEncoder.tokenize('', 'Negative prompt'), cond] : [cond];
  const ctx = await textEncoder.encode(ids);
  return { data: ctx.data, dims: [ctx.sequenceLength, ctx.hiddenSize] };
}

export function latentDimsOf(pipeline: LoadedPipeline): number[] {
  const g = pipeline.geometry;
  return [g.latentChannels, g.latentHeight, g.latentWidth];
}

/**
 * A DenoiseModel that also fetches `extra` outputs on every call and hands them to `sink`.
 * @param sink receives each extra output of one call, over the whole batch
 */
export function tappedModel(denoiser: Denoiser, dims: readonly number[], ctx: PromptContext, extra: readonly string[], sink: (outputs: Record<string, Float32Array>, x: Float32Array, t: number, prediction: Float32Array) => void, signal?: AbortSignal): DenoiseModel {
  const per = dims.reduce((a, b) => a * b, 1);
  return {
    async predict(x: Float32Array, timestep: number, branches: readonly Branch[]): Promise<BranchOutputs> {
      const both = branches.length === 2;
      const batch = both ? doubled(x) : x;
      const context = both ? ctx.data : ctx.data.subarray(ctx.data.length - ctx.dims[0] * ctx.dims[1]);
      const out = await denoiser.predictOutputs(batch, dims, timestep, context, ctx.dims, [denoiser.outputName, ...extra], signal);
      const pred = out[denoiser.outputName] as Float32Array;
      sink(out, batch, timestep, pred);
      return both ? new Map([['uncond', pred.subarray(0, per)], ['cond', pred.subarray(per)]]) : new Map([['cond', pred]]);
    },
  };
}

function doubled(x: Float32Array): Float32Array {
  const out = new Float32Array(2 * x.length);
  out.set(x, 0);
  out.set(x, x.length);
  return out;
}
