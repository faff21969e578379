/**
 * The noise predictor (unet/ or transformer/model.onnx), adapted to its export at load time.
 *
 * Inputs, by the names diffusers and Optimum use:
 *   sample | hidden_states   [B, C, h, w] float32/float16: the scaled noisy latents
 *   timestep                 the current timestep; exports disagree on its type (float32,
 *                            float16, int64, int32) and shape ([], [1] or [B]), so both are
 *                            read from the declared metadata, as diffusers' Python pipeline does
 *   encoder_hidden_states    [B, L, D]: prompt embeddings
 * Output: `out_sample` (or the first output) [B, C, h, w], the model's prediction (epsilon,
 * v or flow velocity: the scheduler knows which). Extra outputs (e.g. caching probes
 * `modulated_input`, `block_residual`) are not requested, so they cost nothing.
 *
 * float16 exports are fed and read through float32 ⇄ binary16 conversion at this boundary.
 */
import { StudioError } from '../../contract/errors';
import { concatFloat32, elementCount, floatTensor, numericTensor, toFloat32, type HostTensor, type ValueInfo } from './host-tensor';
import type { ModelRunner } from './runner';
import { findInput, findOutput, inputNames } from './runner';
import { SAMPLE_INPUT_NAMES } from './pipeline-geometry';

/** Timestep dims for a batch of B, from the declared timestep shape. */
export function timestepDims(declared: readonly (number | string)[], batch: number): number[] {
  if (declared.length === 0) return [];
  if (declared.length !== 1) {
    throw new StudioError('MODEL_LAYOUT', `The denoiser's timestep input has shape [${declared.join(',')}]; expected a scalar, [1] or [batch].`);
  }
  const d = declared[0];
  // Fixed [1] with a batch of 2: the model broadcasts one timestep over the batch.
  if (typeof d === 'number') return [d === batch ? batch : 1];
  return [batch];
}

/** Largest batch the export accepts in one call (fixed batch dims force smaller calls). */
function maxBatchOf(inputs: readonly ValueInfo[]): number {
  let max = Infinity;
  for (const i of inputs) {
    const d = i.dims[0];
    if (i.name !== 'timestep' && typeof d === 'number') max = Math.min(max, d);
  }
  return max;
}

export class Denoiser {
  readonly sample: ValueInfo;
  readonly timestep: ValueInfo;
  readonly context: ValueInfo;
  readonly outputName: string;
  /** 1 for exports with a fixed batch of 1: a CFG pair then runs as two calls. */
  readonly maxBatch: number;

  constructor(readonly runner: ModelRunner) {
    const sample = SAMPLE_INPUT_NAMES.map((n) => findInput(runner, n)).find((i) => i !== undefined);
    const timestep = findInput(runner, 'timestep');
    const context = findInput(runner, 'encoder_hidden_states');
    if (!sample || !timestep || !context) {
      throw new StudioError(
        'MODEL_LAYOUT',
        `${runner.label} declares inputs ${inputNames(runner)}; a text-to-image denoiser needs sample (or hidden_states), timestep and encoder_hidden_states.`,
      );
    }
    const extra = runner.inputs.filter((i) => i !== sample && i !== timestep && i !== context).map((i) => i.name);
    if (extra.length > 0) {
      throw new StudioError(
        'MODEL_LAYOUT',
        `${runner.label} also needs ${extra.join(', ')} (e.g. SDXL's text_embeds/time_ids), which this studio does not supply.`,
      );
    }
    this.sample = sample;
    this.timestep = timestep;
    this.context = context;
    this.outputName = findOutput(runner, 'out_sample')?.name ?? runner.outputs[0]?.name ?? 'out_sample';
    this.maxBatch = maxBatchOf(runner.inputs);
  }

  /**
   * One prediction for a batch of B latents sharing one timestep.
   * @param latents [B, ...latentDims] float32, already scaled by the scheduler's scaleModelInput
   * @param latentDims [C, h, w] for an image, [C, F, h, w] for a video latent
   * @param timestep the scheduler's timestep value for this step
   * @param context [B, L, D] float32 prompt embeddings, row k conditions latent k
   * @param contextDims [L, D]
   * @returns [B, ...latentDims] float32 prediction
   */
  async predict(
    latents: Float32Array,
    latentDims: readonly number[],
    timestep: number,
    context: Float32Array,
    contextDims: readonly [number, number],
    signal?: AbortSignal,
  ): Promise<Float32Array> {
    const out = await this.predictOutputs(latents, latentDims, timestep, context, contextDims, [this.outputName], signal);
    return out[this.outputName] as Float32Array;
  }

  /**
   * Like predict, but returns the named outputs: calibration code asks for intermediate outputs
   * an export carries beside its prediction (e.g. `block_residual`). Each output is the
   * concatenation over the batch chunks the export's batch limit needs, as float32.
   */
  async predictOutputs(
    latents: Float32Array,
    latentDims: readonly number[],
    timestep: number,
    context: Float32Array,
    contextDims: readonly [number, number],
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, Float32Array>> {
    const per = elementCount(latentDims);
    const perContext = elementCount(contextDims);
    const batch = latents.length / per;
    if (!Number.isInteger(batch) || context.length !== batch * perContext) {
      throw new StudioError('INTERNAL', `Denoiser got ${latents.length} latent values and ${context.length} context values for latent dims [${latentDims.join(',')}] and context dims [${contextDims.join(',')}].`);
    }
    const unknown = names.filter((n) => findOutput(this.runner, n) === undefined);
    if (unknown.length > 0) throw new StudioError('MODEL_LAYOUT', `${this.runner.label} has no output(s) ${unknown.join(', ')} (outputs: ${this.runner.outputs.map((o) => o.name).join(', ')}).`);
    const chunks: Record<string, Float32Array[]> = Object.fromEntries(names.map((n) => [n, []]));
    const step = Math.min(batch, this.maxBatch);
    for (let start = 0; start < batch; start += step) {
      const b = Math.min(step, batch - start);
      const tDims = timestepDims(this.timestep.dims, b);
      const feeds = {
        [this.sample.name]: floatTensor(this.sample.type, latents.slice(start * per, (start + b) * per), [b, ...latentDims]),
        [this.timestep.name]: numericTensor(this.timestep.type, new Array<number>(elementCount(tDims)).fill(timestep), tDims),
        [this.context.name]: floatTensor(this.context.type, context.slice(start * perContext, (start + b) * perContext), [b, ...contextDims]),
      };
      const result = await this.runner.run(feeds, names, signal);
      const pred = result[this.outputName];
      if (names.includes(this.outputName) && (!pred || elementCount(pred.dims) !== b * per)) {
        throw new StudioError('MODEL_LAYOUT', `${this.runner.label} output ${this.outputName} is [${pred?.dims.join(',')}], expected [${[b, ...latentDims].join(',')}].`);
      }
      for (const n of names) (chunks[n] as Float32Array[]).push(toFloat32(result[n] as HostTensor));
    }
    return Object.fromEntries(names.map((n) => [n, concatFloat32(chunks[n] as Float32Array[])]));
  }
}
