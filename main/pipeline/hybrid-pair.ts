/**
 * A hybrid pair, checked: the large and the small pipeline of one run must pass core/hybrid's
 * pairing rules for this step count and scheduler before any step runs. The facts come from each
 * pipeline's folder alone (layout, configs and the ONNX files' declared inputs), so the UI can
 * offer only compatible partners without loading a model, and a run checks the same facts.
 */
import type { SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { createScheduler } from '../../core/sampler/create-scheduler';
import { checkPairing, PairingError, type PairingFacts } from '../../core/hybrid/pairing-rules';
import { pipelineGeometry, SAMPLE_INPUT_NAMES } from '../runtime/pipeline-geometry';
import type { PipelineLayout } from '../runtime/pipeline-layout';
import { DEFAULT_SCALING_FACTOR } from '../runtime/vae-decoder';

/** Rank of the denoiser's noisy-latent input: 4 for an image denoiser [B, C, h, w], 5 for a video one [B, C, F, h, w]. */
function sampleRank(layout: PipelineLayout): number {
  return layout.onnx.denoiser.inputs.find((i) => (SAMPLE_INPUT_NAMES as readonly string[]).includes(i.name))?.dims.length ?? 4;
}

/** The facts a pairing check compares, read from a checked layout. @throws SchedulerConfigError when the scheduler cannot run `steps` */
export function pairingFacts(id: string, layout: PipelineLayout, steps: number, scheduler: SchedulerName): PairingFacts {
  const g = pipelineGeometry(layout);
  const s = createScheduler(layout.schedulerConfig, steps, scheduler);
  const scale = layout.vaeConfig?.['scaling_factor'];
  const ids = layout.onnx.textEncoder.inputs[0]?.dims[1];
  const maxLength = layout.tokenizerConfig?.['model_max_length'];
  const context = layout.onnx.denoiser.inputs.find((i) => i.name === 'encoder_hidden_states')?.dims[2];
  return {
    id,
    latent: { channels: g.latentChannels, height: g.latentHeight, width: g.latentWidth, frameAxis: sampleRank(layout) === 5 },
    vaeScalingFactor: typeof scale === 'number' ? scale : DEFAULT_SCALING_FACTOR,
    predictionType: s.predictionType,
    sigmas: s.sigmas,
    conditioning: {
      sequenceLength: typeof ids === 'number' ? ids : typeof maxLength === 'number' ? maxLength : -1,
      hiddenSize: typeof context === 'number' ? context : -1,
    },
  };
}

/** Why `small` cannot pair with `large`, or undefined when it can. */
export function pairingProblem(large: { id: string; layout: PipelineLayout }, small: { id: string; layout: PipelineLayout }, steps: number, scheduler: SchedulerName): string | undefined {
  try {
    checkPairing(pairingFacts(large.id, large.layout, steps, scheduler), pairingFacts(small.id, small.layout, steps, scheduler));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * @throws StudioError INVALID_REQUEST (detail 'hybrid') naming the broken rule
 */
export function checkHybridPair(large: { id: string; pipeline: { layout: PipelineLayout } }, small: { id: string; pipeline: { layout: PipelineLayout } }, steps: number, scheduler: SchedulerName): void {
  try {
    checkPairing(pairingFacts(large.id, large.pipeline.layout, steps, scheduler), pairingFacts(small.id, small.pipeline.layout, steps, scheduler));
  } catch (err) {
    if (err instanceof PairingError) throw new StudioError('INVALID_REQUEST', err.message, 'hybrid');
    throw err;
  }
}
