/**
 * Static activation ranges from the fp32 model over whole trajectories (Q-Diffusion's
 * timestep-aware calibration): for each calibration prompt one full fp32 sampling run, with
 * every step's input activations of the to-be-quantized ops fetched as extra graph outputs.
 * Outputs never change a graph's values, so the trajectory is the fp32 one.
 *
 * Memory: each call keeps at most SAMPLES_PER_CALL values per tensor (a strided subsample), so
 * prompts × steps × tensors × 2048 floats in all (8 × 20 × 40 × 8 KB ≈ 52 MB at most).
 * Every EVAL_STRIDE-th step is also kept whole (input, timestep, context, fp32 prediction) as
 * the evaluation set the range method and the conditioning-weight choice are measured on.
 */
import { subsample } from '../../core/quant/activation-range';
import { gaussianNoise } from '../../core/noise/gaussian-noise';
import { latentSize } from '../../core/sampling/latent-shape';
import { sample } from '../../core/sampling/sample';
import { uniformPlan } from '../../core/sampling/step-plan';
import type { SchedulerName } from '../../contract/api';
import type { PromptContext } from '../pipeline/runner-denoise-model';
import { schedulerFor, throwIfCancelled } from '../pipeline/txt2img';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { cloneModel, encodeModel, floatOutput, graphOf, type ModelProto } from './onnx-model';
import { denoiserFromBytes, latentDimsOf, promptContext, tappedModel } from './quant-session';

const SAMPLES_PER_CALL = 2048;
const EVAL_STRIDE = 4;

/** One held-out model call: batched input, its timestep and context, and the fp32 prediction. */
export interface EvalPoint {
  x: Float32Array;
  t: number;
  ctx: PromptContext;
  fp32: Float32Array;
}

export interface CalibrationRun {
  prompts: string[];
  steps: number;
  cfg: number;
  scheduler: SchedulerName;
  seed: number;
  signal?: AbortSignal;
  /** After each sampling step of each prompt. */
  onStep?: () => void;
}

export interface ActivationSamples {
  samples: Map<string, Float32Array>;
  evalSet: EvalPoint[];
}

export async function collectActivations(pipeline: LoadedPipeline, source: ModelProto, tensors: readonly string[], run: CalibrationRun): Promise<ActivationSamples> {
  const augmented = cloneModel(source);
  const graph = graphOf(augmented);
  const declared = new Set(graph.output.map((o) => o.name));
  for (const t of tensors) if (!declared.has(t)) graph.output.push(floatOutput(t));
  const denoiser = await denoiserFromBytes(encodeModel(augmented), 'calibration graph');
  const parts = new Map<string, Float32Array[]>(tensors.map((t) => [t, []]));
  const evalSet: EvalPoint[] = [];
  const dims = latentDimsOf(pipeline);
  const shape = { channels: dims[0] as number, height: dims[1] as number, width: dims[2] as number };
  try {
    for (const [p, prompt] of run.prompts.entries()) {
      const ctx = await promptContext(pipeline, prompt, run.cfg);
      const scheduler = schedulerFor(pipeline, run.steps, run.scheduler);
      let call = 0;
      const model = tappedModel(denoiser.denoiser, dims, ctx, tensors, (outs, x, t, pred) => {
        for (const name of tensors) (parts.get(name) as Float32Array[]).push(Float32Array.from(subsample(outs[name] as Float32Array, SAMPLES_PER_CALL)));
        if (call++ % EVAL_STRIDE === EVAL_STRIDE - 1) evalSet.push({ x: Float32Array.from(x), t, ctx, fp32: Float32Array.from(pred) });
      }, run.signal);
      await sample({
        scheduler,
        plan: uniformPlan(run.steps, 'q'),
        models: new Map([['q', model]]),
        hooks: [],
        shape,
        initialNoise: gaussianNoise(run.seed + p, latentSize(shape)),
        stepNoise: (i) => gaussianNoise(run.seed + p, latentSize(shape), i + 1),
        cfg: run.cfg,
        checkpoint: () => throwIfCancelled(run.signal),
        onStep: () => run.onStep?.(),
      });
    }
  } finally {
    await denoiser.dispose();
  }
  const samples = new Map<string, Float32Array>();
  for (const [name, list] of parts) {
    const all = new Float32Array(list.reduce((n, a) => n + a.length, 0));
    let o = 0;
    for (const a of list) {
      all.set(a, o);
      o += a.length;
    }
    samples.set(name, all);
  }
  return { samples, evalSet };
}
