/**
 * ERTACache's measured reuse cost for a profile being recorded (core/cache/erta/measure-reuse-cost.ts):
 * for the first calibration prompts, the uncached run again, then every single-step reuse run on
 * to the end on the model. Same prompt, seed, scheduler and guidance as the recording run, so
 * the reference trajectory is the recorded one.
 *
 * The deviation is measured on the decoded image (one VAE decode per branch), because that is what
 * PSNR compares: a latent deviation that decodes to clamped (saturated) pixels costs nothing there.
 * Cost: (T² − T)/2 + 1 model calls per measured prompt (1,226 at 50 steps; about 11 s of CPU per prompt
 * for the bundled emoji model on one CPU core), hence a cap on the prompts measured.
 */
import type { ProfileStartRequest } from '../../contract/cache';
import { combineReuseCosts, measurePromptReuseCost, reuseCostCalls } from '../../core/cache/erta/measure-reuse-cost';
import type { MeasuredReuseCost } from '../../core/cache/profile/profile-types';
import { gaussianNoise } from '../../core/noise/gaussian-noise';
import { latentDims, latentSize, type LatentShape } from '../../core/sampling/latent-shape';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import { decodeLatentPixels } from '../pipeline/decode-latent';
import { RunnerDenoiseModel } from '../pipeline/runner-denoise-model';
import { schedulerFor, throwIfCancelled } from '../pipeline/txt2img';

/**
 * Calibration prompts the reuse cost is measured on. The gain it records is a ratio of RMS norms
 * per step, pooled over prompts; 4 keep the measurement of a 50-step run of the bundled model
 * near 45 s of CPU (4 × 1,226 model calls and 200 decodes).
 */
export const REUSE_COST_PROMPTS = 4;

/** Model calls measureProfileReuseCost makes. */
export function reuseCostModelCalls(prompts: number, steps: number): number {
  return Math.min(prompts, REUSE_COST_PROMPTS) * reuseCostCalls(steps);
}

/**
 * @param onCall after each model call: calls done, of reuseCostModelCalls
 * @throws StudioError CANCELLED | MODEL_*
 */
export async function measureProfileReuseCost(pipeline: LoadedPipeline, req: ProfileStartRequest, signal: AbortSignal | undefined, onCall?: (done: number, total: number) => void): Promise<MeasuredReuseCost> {
  const g = pipeline.geometry;
  const shape: LatentShape = { channels: g.latentChannels, ...(req.frames === undefined ? {} : { frames: req.frames }), height: g.latentHeight, width: g.latentWidth };
  const guided = req.cfg > 1;
  const prompts = req.prompts.slice(0, REUSE_COST_PROMPTS);
  const total = reuseCostModelCalls(req.prompts.length, req.steps);
  const measured = [];
  for (const [i, prompt] of prompts.entries()) {
    throwIfCancelled(signal);
    const condIds = pipeline.textEncoder.tokenize(prompt, `Calibration prompt ${i + 1}`);
    const ids = guided ? [pipeline.textEncoder.tokenize('', 'Negative prompt'), condIds] : [condIds];
    const context = await pipeline.textEncoder.encode(ids);
    const model = new RunnerDenoiseModel(pipeline.denoiser, undefined, latentDims(shape), { data: context.data, dims: [context.sequenceLength, context.hiddenSize] }, signal);
    const seed = req.seed + i;
    const done = i * reuseCostCalls(req.steps);
    measured.push(
      await measurePromptReuseCost({
        model,
        scheduler: schedulerFor(pipeline, req.steps, req.scheduler),
        initialNoise: gaussianNoise(seed, latentSize(shape)),
        stepNoise: (step) => gaussianNoise(seed, latentSize(shape), step + 1),
        cfg: req.cfg,
        checkpoint: () => throwIfCancelled(signal),
        finalImage: async (latent) => clampedImage(await decodeLatentPixels(pipeline.vaeDecoder, latent, shape)),
        ...(onCall ? { onCall: (n: number) => onCall(done + n, total) } : {}),
      }),
    );
  }
  return combineReuseCosts(measured, 'image');
}

/** The decoded image as PSNR sees it: values clamped to the displayed range [−1, 1] (chw-to-rgb.ts). */
function clampedImage(data: Float32Array): Float32Array {
  return data.map((v) => Math.min(1, Math.max(-1, v)));
}
