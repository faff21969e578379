/**
 * A hybrid pair, checked: the large and the small pipeline of one run must pass core/hybrid's
 * pairing rules for this step count and scheduler before any step runs. The facts come from what
 * each pipeline loaded: latent geometry, its VAE decoder's scaling factor, the scheduler it would
 * build, and the prompt-embedding shape its denoiser accepts.
 */
import type { SchedulerName } from '../../contract/api';
import { StudioError } from '../../contract/errors';
import { checkPairing, PairingError, type PairingFacts } from '../../core/hybrid/pairing-rules';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { schedulerFor } from './txt2img';

function factsOf(id: string, p: LoadedPipeline, steps: number, scheduler: SchedulerName): PairingFacts {
  const s = schedulerFor(p, steps, scheduler);
  const declared = p.denoiser.context.dims[2];
  return {
    id,
    latent: { channels: p.geometry.latentChannels, height: p.geometry.latentHeight, width: p.geometry.latentWidth },
    vaeScalingFactor: p.vaeDecoder.scalingFactor,
    predictionType: s.predictionType,
    sigmas: s.sigmas,
    conditioning: { sequenceLength: p.textEncoder.sequenceLength, hiddenSize: typeof declared === 'number' ? declared : -1 },
  };
}

/**
 * @throws StudioError INVALID_REQUEST (detail 'hybrid') naming the broken rule
 */
export function checkHybridPair(large: { id: string; pipeline: LoadedPipeline }, small: { id: string; pipeline: LoadedPipeline }, steps: number, scheduler: SchedulerName): void {
  try {
    checkPairing(factsOf(large.id, large.pipeline, steps, scheduler), factsOf(small.id, small.pipeline, steps, scheduler));
  } catch (err) {
    if (err instanceof PairingError) throw new StudioError('INVALID_REQUEST', err.message, 'hybrid');
    throw err;
  }
}
