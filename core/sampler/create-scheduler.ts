/**
 * Builds the scheduler a generation runs from a model's scheduler_config.json, the step count and
 * the user's scheduler choice.
 *
 * `override` 'default' runs the sampler mapped from the config's `_class_name` (see
 * scheduler-families.ts); 'ddim' | 'euler' | 'dpmpp-2m' | 'flow-euler' force one, reading the
 * same config the way diffusers' `TargetScheduler.from_config(config)` would: present keys win,
 * absent keys take the target class's defaults, unknown keys are ignored. One exception: DDIM's
 * clip_sample defaults to false unless the source class itself clips (see readDdimSettings).
 *
 * The returned scheduler's `config` is the effective config: `_class_name` (what ran),
 * `_source_class_name` (only when that differs from the folder's class) and every field the
 * sampler read, with defaults filled in. Passing it back to createScheduler with 'default'
 * rebuilds the same schedule.
 */
import type { SchedulerName } from './scheduler-names';
import { asConfigObject, readString } from './config-fields';
import { DdimScheduler, readDdimSettings } from './ddim';
import { DpmSolverMultistepScheduler, readDpmSolverSettings } from './dpm-solver-multistep';
import { EulerDiscreteScheduler, readEulerSettings } from './euler-discrete';
import { FlowMatchEulerScheduler, readFlowMatchSettings } from './flow-match-euler';
import { SchedulerConfigError } from './scheduler-config-error';
import { KNOWN_SCHEDULER_CLASSES, SAMPLER_FAMILY, type SamplerKind, lookupSchedulerClass } from './scheduler-families';
import type { Scheduler } from './types';

export { SchedulerConfigError } from './scheduler-config-error';

const CLASS_OF: Readonly<Record<SamplerKind, string>> = {
  ddim: 'DDIMScheduler',
  euler: 'EulerDiscreteScheduler',
  'dpmpp-2m': 'DPMSolverMultistepScheduler',
  'flow-euler': 'FlowMatchEulerDiscreteScheduler',
};

/** Per-run sampler settings that are not part of a model's scheduler_config.json. */
export interface SamplerOptions {
  /** DDIM's η in [0, 1]: 0 deterministic, 1 DDPM-like; stored in the effective config. */
  eta?: number;
}

/** Classes whose config defines clip_sample with default true; see readDdimSettings. */
const CLIPPING_CLASSES: ReadonlySet<string> = new Set(['DDIMScheduler', 'DDPMScheduler']);

/** override 'default' uses the config's _class_name; 'ddim' | 'euler' | 'dpmpp-2m' | 'flow-euler' force one (same betas/shift). Throws SchedulerConfigError on bad config, steps out of 1..num_train_timesteps where it matters, or an incompatible override (flow-euler on an epsilon/v model, or a DDPM-family scheduler on a flow model). */
export function createScheduler(config: unknown, steps: number, override: SchedulerName = 'default', options: SamplerOptions = {}): Scheduler {
  const c = options.eta === undefined ? asConfigObject(config) : { ...asConfigObject(config), eta: options.eta };
  const sourceClass = readString(c, '_class_name');
  const entry = lookupSchedulerClass(sourceClass);
  if (entry === undefined) {
    throw new SchedulerConfigError(
      `scheduler_config.json: "_class_name" = ${JSON.stringify(sourceClass)} is not a supported scheduler (known: ${KNOWN_SCHEDULER_CLASSES.join(', ')})`,
    );
  }
  const sampler: SamplerKind = override === 'default' ? entry.sampler : override;
  if (SAMPLER_FAMILY[sampler] !== entry.family) {
    const what = entry.family === 'flow' ? 'a flow-matching model' : 'a noise-prediction (epsilon/v/sample) model';
    throw new SchedulerConfigError(`scheduler "${sampler}" cannot run ${what} (its scheduler_config.json names ${sourceClass})`);
  }
  if (sampler !== 'ddim' && (options.eta ?? 0) > 0) {
    throw new SchedulerConfigError(`eta ${options.eta} applies to DDIM only; scheduler "${sampler}" is deterministic`);
  }
  const className = CLASS_OF[sampler];
  const header: Record<string, unknown> = { _class_name: className };
  if (className !== sourceClass) header['_source_class_name'] = sourceClass;
  switch (sampler) {
    case 'ddim': {
      const settings = readDdimSettings(c, CLIPPING_CLASSES.has(sourceClass));
      return new DdimScheduler(settings, steps, { ...header, ...settings });
    }
    case 'euler': {
      const settings = readEulerSettings(c);
      return new EulerDiscreteScheduler(settings, steps, { ...header, ...settings });
    }
    case 'dpmpp-2m': {
      const settings = readDpmSolverSettings(c);
      return new DpmSolverMultistepScheduler(settings, steps, { ...header, ...settings });
    }
    case 'flow-euler': {
      const settings = readFlowMatchSettings(c);
      return new FlowMatchEulerScheduler(settings, steps, { ...header, ...settings });
    }
  }
}
