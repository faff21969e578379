/**
 * TeaCache's probe: an optional `<denoiser>/probe.onnx` beside the denoiser that computes only
 * block 0's timestep-modulated input (`modulated_input`) — the cheap signal TeaCache watches to
 * decide whether the full model must run at a step (core/cache/README.md, `ctx.probe`).
 *
 * Why a separate graph: the decision comes BEFORE the model runs, so the signal cannot be an
 * output of the full denoiser (the fixture's transformer has such an output, but reading it
 * means paying for the whole model). native-models/export_all.py exports the probe from the same
 * weights as the transformer.
 *
 * Inputs are a subset of the denoiser's, read from the probe's own metadata:
 *   sample | hidden_states   [B, C, h, w]  the scaled model input (required)
 *   timestep                 as the denoiser's (type and shape from the declared metadata)
 *   encoder_hidden_states    [B, L, D]      only if the probe declares it
 * Output `modulated_input`: any shape with batch first, e.g. [B, tokens, d_model]; only its
 * per-branch change between steps matters, so it is returned flattened per batch row.
 */
import { StudioError } from '../../contract/errors';
import { timestepDims } from './denoiser';
import { elementCount, floatTensor, numericTensor, toFloat32, type HostTensor, type ValueInfo } from './host-tensor';
import type { ModelRunner } from './runner';
import { findInput, findOutput, inputNames } from './runner';
import { SAMPLE_INPUT_NAMES } from './pipeline-geometry';

/** File name of the probe inside the denoiser folder. */
export const PROBE_FILE = 'probe.onnx';
export const PROBE_OUTPUT = 'modulated_input';

export class CacheProbe {
  readonly sample: ValueInfo;
  readonly timestep: ValueInfo | undefined;
  readonly context: ValueInfo | undefined;

  constructor(readonly runner: ModelRunner) {
    const sample = SAMPLE_INPUT_NAMES.map((n) => findInput(runner, n)).find((i) => i !== undefined);
    if (!sample) throw new StudioError('MODEL_LAYOUT', `${runner.label} declares inputs ${inputNames(runner)}; a cache probe needs sample (or hidden_states).`);
    if (!findOutput(runner, PROBE_OUTPUT)) {
      throw new StudioError('MODEL_LAYOUT', `${runner.label} has outputs ${runner.outputs.map((o) => o.name).join(', ')}; a cache probe must output ${PROBE_OUTPUT}.`);
    }
    this.sample = sample;
    this.timestep = findInput(runner, 'timestep');
    this.context = findInput(runner, 'encoder_hidden_states');
    const extra = runner.inputs.filter((i) => i !== sample && i !== this.timestep && i !== this.context).map((i) => i.name);
    if (extra.length > 0) throw new StudioError('MODEL_LAYOUT', `${runner.label} also needs ${extra.join(', ')}, which the studio does not supply to a cache probe.`);
  }

  /** True when the probe reads the prompt embeddings, so the CFG branches get different probes. */
  get perBranch(): boolean {
    return this.context !== undefined;
  }

  /**
   * The probe for a batch of B latents sharing one timestep.
   * @param latents [B, C, h, w] float32 (scaled model input)
   * @param context [B, L, D] float32; used only when the probe declares encoder_hidden_states
   * @returns one flattened probe per batch row
   */
  async run(
    latents: Float32Array,
    latentDims: readonly number[],
    timestep: number,
    context: Float32Array,
    contextDims: readonly [number, number],
  ): Promise<Float32Array[]> {
    const batch = latents.length / elementCount(latentDims);
    const feeds: Record<string, HostTensor> = { [this.sample.name]: floatTensor(this.sample.type, latents, [batch, ...latentDims]) };
    if (this.timestep) {
      const tDims = timestepDims(this.timestep.dims, batch);
      feeds[this.timestep.name] = numericTensor(this.timestep.type, new Array<number>(elementCount(tDims)).fill(timestep), tDims);
    }
    if (this.context) feeds[this.context.name] = floatTensor(this.context.type, context, [batch, ...contextDims]);
    const out = (await this.runner.run(feeds, [PROBE_OUTPUT]))[PROBE_OUTPUT];
    if (!out || out.dims[0] !== batch) {
      throw new StudioError('MODEL_LAYOUT', `${this.runner.label} output ${PROBE_OUTPUT} is [${out?.dims.join(',')}], expected batch ${batch} first.`);
    }
    const values = toFloat32(out);
    const per = values.length / batch;
    return Array.from({ length: batch }, (_, b) => values.slice(b * per, (b + 1) * per));
  }
}
