/**
 * Picks each method's default strength λ by measurement (the role of TCEC's empirical λ₁ rule):
 * every calibration prompt is sampled with the quantized model through the real hook chain
 * (core/quant/compensation-hook.ts) at each λ of STRENGTH_GRID, and the λ whose final latent is
 * closest to the fp32 final latent (mean squared error over prompts) wins; λ = 0 is a candidate,
 * so a fit that does not help on calibration data is switched off rather than shipped.
 */
import { compensationHook } from '../../core/quant/compensation-hook';
import type { CompensationTables } from '../../core/quant/compensation-tables';
import { gaussianNoise } from '../../core/noise/gaussian-noise';
import { latentSize } from '../../core/sampling/latent-shape';
import { sample } from '../../core/sampling/sample';
import { uniformPlan } from '../../core/sampling/step-plan';
import { RunnerDenoiseModel } from '../pipeline/runner-denoise-model';
import { schedulerFor, throwIfCancelled } from '../pipeline/txt2img';
import type { Denoiser } from '../runtime/denoiser';
import type { LoadedPipeline } from '../runtime/loaded-pipeline';
import type { CalibrationRun } from './activation-calibration';
import { latentDimsOf, promptContext } from './quant-session';

export const STRENGTH_GRID: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

export interface StrengthChoice {
  strength: { ptqd: number; tcec: number };
  /** Final-latent MSE per method and λ. */
  errors: Record<string, Record<string, number>>;
}

/**
 * @param references the fp32 final latent of each calibration prompt (same noise and seed)
 */
export async function chooseStrengths(pipeline: LoadedPipeline, quant: Denoiser, tables: Omit<CompensationTables, 'strength'>, references: readonly Float32Array[], run: CalibrationRun): Promise<StrengthChoice> {
  const dims = latentDimsOf(pipeline);
  const shape = { channels: dims[0] as number, height: dims[1] as number, width: dims[2] as number };
  const contexts = await Promise.all(run.prompts.map((p) => promptContext(pipeline, p, run.cfg)));
  const finalError = async (method: 'ptqd' | 'tcec', strength: number): Promise<number> => {
    let sum = 0;
    let n = 0;
    for (const [p, ctx] of contexts.entries()) {
      throwIfCancelled(run.signal);
      const scheduler = schedulerFor(pipeline, run.steps, run.scheduler);
      const hooks = strength === 0 ? [] : [compensationHook({ method, tables: { ...tables, strength: { ptqd: 1, tcec: 1 } }, strength, cfg: run.cfg, coefficients: (i) => scheduler.stepCoefficients(i), noiseStd: (i) => scheduler.stepNoiseStd(i) })];
      const out = await sample({
        scheduler,
        plan: uniformPlan(run.steps, 'q'),
        models: new Map([['q', new RunnerDenoiseModel(quant, undefined, dims, ctx, run.signal)]]),
        hooks,
        shape,
        initialNoise: gaussianNoise(run.seed + p, latentSize(shape)),
        stepNoise: (i) => gaussianNoise(run.seed + p, latentSize(shape), i + 1),
        cfg: run.cfg,
      });
      const ref = references[p] as Float32Array;
      for (let j = 0; j < ref.length; j++) sum += ((out.latents[j] as number) - (ref[j] as number)) ** 2;
      n += ref.length;
    }
    return sum / n;
  };
  const base = await finalError('ptqd', 0);
  const errors: StrengthChoice['errors'] = { ptqd: { '0': base }, tcec: { '0': base } };
  const strength = { ptqd: 0, tcec: 0 };
  for (const method of ['ptqd', 'tcec'] as const) {
    let best = base;
    for (const lam of STRENGTH_GRID.filter((l) => l > 0)) {
      const err = await finalError(method, lam);
      (errors[method] as Record<string, number>)[String(lam)] = err;
      if (err < best) {
        best = err;
        strength[method] = lam;
      }
    }
  }
  return { strength, errors };
}
