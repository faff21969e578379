/**
 * Which studio sampler runs for each diffusers scheduler class a model folder may name.
 *
 * Two families that must not be mixed: DDPM-family models (ε / v / x₀ prediction on a β
 * schedule) and flow-matching models (velocity on σ ∈ [0, 1]). Classes we do not implement map
 * to the closest implemented one that reads the same schedule fields (betas, spacing, shift);
 * the effective config then names the class that really ran and keeps the original as
 * `_source_class_name`, so the recipe never claims a sampler that did not run.
 */
import type { SchedulerName } from './scheduler-names';

/** A concrete sampler (every SchedulerName except 'default'). */
export type SamplerKind = Exclude<SchedulerName, 'default'>;

export type ModelFamily = 'ddpm' | 'flow';

interface FamilyEntry {
  family: ModelFamily;
  /** The sampler used when the user keeps the model's own scheduler. */
  sampler: SamplerKind;
}

const CLASSES: Readonly<Record<string, FamilyEntry>> = {
  // Implemented as is.
  DDIMScheduler: { family: 'ddpm', sampler: 'ddim' },
  EulerDiscreteScheduler: { family: 'ddpm', sampler: 'euler' },
  DPMSolverMultistepScheduler: { family: 'ddpm', sampler: 'dpmpp-2m' },
  FlowMatchEulerDiscreteScheduler: { family: 'flow', sampler: 'flow-euler' },
  // Integer-timestep linear-multistep / ancestral-free samplers → DDIM on the same timesteps.
  PNDMScheduler: { family: 'ddpm', sampler: 'ddim' },
  DDPMScheduler: { family: 'ddpm', sampler: 'ddim' },
  // Sigma-space (k-diffusion style) samplers → Euler on the same sigmas.
  LMSDiscreteScheduler: { family: 'ddpm', sampler: 'euler' },
  EulerAncestralDiscreteScheduler: { family: 'ddpm', sampler: 'euler' },
  HeunDiscreteScheduler: { family: 'ddpm', sampler: 'euler' },
  KDPM2DiscreteScheduler: { family: 'ddpm', sampler: 'euler' },
  KDPM2AncestralDiscreteScheduler: { family: 'ddpm', sampler: 'euler' },
  // Multistep / high-order solvers → DPM-Solver++(2M).
  DPMSolverSinglestepScheduler: { family: 'ddpm', sampler: 'dpmpp-2m' },
  DPMSolverSDEScheduler: { family: 'ddpm', sampler: 'dpmpp-2m' },
  DEISMultistepScheduler: { family: 'ddpm', sampler: 'dpmpp-2m' },
  UniPCMultistepScheduler: { family: 'ddpm', sampler: 'dpmpp-2m' },
  // Flow-matching variants → flow Euler.
  FlowMatchHeunDiscreteScheduler: { family: 'flow', sampler: 'flow-euler' },
};

/** Known class names, for error messages. */
export const KNOWN_SCHEDULER_CLASSES: readonly string[] = Object.keys(CLASSES);

/** The family entry of a diffusers class name, or undefined when the class is unknown. */
export function lookupSchedulerClass(className: string): FamilyEntry | undefined {
  return Object.hasOwn(CLASSES, className) ? CLASSES[className] : undefined;
}

/** The family each sampler belongs to. */
export const SAMPLER_FAMILY: Readonly<Record<SamplerKind, ModelFamily>> = {
  ddim: 'ddpm',
  euler: 'ddpm',
  'dpmpp-2m': 'ddpm',
  'flow-euler': 'flow',
};
